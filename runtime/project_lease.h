#pragma once
// One active watcher per project: the lease (issue 6 design section 2).
//
// The record is "baton-lease-<project>", a never-started container from the
// lock image (runtime/lock_image.h) on each host, with labels kRole=lease,
// kLeaseOf, kLeaseHolder, kLeaseTerm, kLeaseBoot, kLeasePid (planner/labels.h)
// set at create, and the file /lease.json {"holder","term","seq"} rewritten by
// container id at every renewal (PUT archive). The holder also publishes
// /status.json and /events.jsonl into the same records.
//
// Taking: hosts in hosts-file order, one after another (so two candidates
// meet on the first host and cannot split the hosts between them): no
// record -> create by name (409: lost the race); a record expired by our own
// clock (LeaseObservation), or left by a dead process of ours on this boot ->
// remove it by id, then create; a live record of another holder -> stop.
// Held when a quorum of the hosts-file hosts (a majority by default) holds
// our records; a candidate short of it removes what it made, by id.
//
// Renewing: every `renew`, seq+1 into each held record by id; a 404 means
// another candidate replaced it, so that host no longer counts. The lease is
// held until HolderDeadline (start of the last quorum round + 0.8 ttl); a
// watchdog thread requests LostToken() at that deadline even while a round
// is stuck in a slow engine call.
//
// Threads: Start runs one lease thread and one watchdog thread. Every public
// method may be called from any thread. on_change is called from the lease
// or watchdog thread (or from Release), one call at a time, never with the
// lease's state lock held. Release, Abandon and the destructor join the lease
// thread: never call them from on_change, nor while holding a lock that
// on_change takes.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/lease_rules.h"

namespace baton::runtime {

class DockerClient;

// A hosts-file host as the lease sees it now. `docker` is null while the host
// is unreachable. The lease keeps the shared_ptr only for one call, so a host
// monitor may replace a host's client between rounds.
struct LeaseHost {
  std::string name;
  std::shared_ptr<DockerClient> docker;
};

// Called once per round: every hosts-file host, in hosts-file order. The
// quorum is computed from the length of this list (unless set explicitly).
using LeaseHostSource = std::function<std::vector<LeaseHost>()>;

struct LeaseOptions {
  std::string holder;  // "alice@host1 pid 4242"; empty: ThisProcessHolder()
  std::chrono::milliseconds renew{2000};
  std::chrono::milliseconds ttl{10000};
  size_t quorum = 0;  // 0: LeaseMajority(number of hosts)
};

// The lease as read by someone who does not hold it (`ps`, `baton events`).
struct LeaseView {
  std::vector<LeaseRecord> records;  // one per host that has a record, hosts-file order
  std::string holder;                // holder of the highest-term record; empty when there is none
  uint64_t term = 0;
};

// "baton-lease-shop".
std::string LeaseRecordName(const std::string& project);

class ProjectLease {
 public:
  // Starts trying to take the lease at once, then every `renew` (plus up to
  // 1 s of jitter while not held). on_change(true) when it becomes held,
  // on_change(false) when it is lost or released. Never fails: unreachable
  // hosts and engine errors only keep it a candidate.
  static std::unique_ptr<ProjectLease> Start(LeaseHostSource hosts, std::string project,
                                             LeaseOptions options,
                                             std::function<void(bool held)> on_change = {});
  // Releases (ignoring errors), then stops the threads.
  ~ProjectLease();
  ProjectLease(const ProjectLease&) = delete;
  ProjectLease& operator=(const ProjectLease&) = delete;

  // True while a quorum round is less than 0.8 ttl old.
  bool Held() const;
  // Requested when the lease held now is lost (deadline passed) or released.
  // Each time the lease is gained a fresh token is handed out, so take it
  // after on_change(true). When not held, an already requested token.
  std::stop_token LostToken() const;
  // The term of the records we hold; 0 when not held.
  uint64_t Term() const;

  // Stops renewing and removes our records by id (records someone else made
  // since are left alone). Afterwards the lease stays released; a standby
  // takes over within one of its renew periods. Returns the first error.
  Status Release();
  // Stops renewing WITHOUT removing the records, as a killed process would
  // leave them: a standby takes over after ttl. For tests and a fast exit.
  void Abandon();

  // The watcher's status (JSON) and its recent events (JSON lines), written
  // to /status.json and /events.jsonl of the held records with the next
  // renewal (so at most once per renew period), and to records taken later.
  void PublishStatus(std::string json);
  void PublishEvents(std::string jsonl);

  // Reads every reachable host's record of `project` (labels and
  // /lease.json). A host that cannot be read is skipped; kUnreachable when no
  // host could be read at all.
  static Result<LeaseView> Read(const std::vector<LeaseHost>& hosts, const std::string& project);
  // The content of `file` ("/events.jsonl", "/status.json") in the record
  // with the highest (term, seq) among the reachable hosts. kNotFound when no
  // record has it; kUnreachable when no host could be read.
  static Result<std::string> ReadFile(const std::vector<LeaseHost>& hosts,
                                      const std::string& project, const std::string& file);

  class State;  // shared with the lease and watchdog threads (project_lease.cc)

 private:
  explicit ProjectLease(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace baton::runtime
