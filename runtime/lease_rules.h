#pragma once
// The pure rules of the project lease (runtime/project_lease.h): when a
// record counts as expired, how long a holder may act, when a candidate may
// take a host's record, and how many hosts make the lease held.
//
// No wall clock is ever compared across machines. A record is judged by the
// observer's own steady clock: the time it first saw that record's (container
// id, seq) pair. This is client-go's leader-election rule; it tolerates any
// clock skew and a clock *rate* skew up to ttl / (0.8 ttl) = 25 %.
//
// Everything here is a value or a function of values; no I/O, no threads.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace baton::runtime {

using LeaseClock = std::chrono::steady_clock;

// One host's lease record as a candidate or holder read it: the labels set at
// create and the mutable /lease.json.
struct LeaseRecord {
  std::string host;
  std::string id;       // container id
  std::string holder;   // kLeaseHolder: "alice@host1 pid 4242"
  uint64_t term = 0;    // kLeaseTerm
  uint64_t seq = 0;     // /lease.json "seq"; 0 when the file is missing or unreadable
  std::string boot_id;  // kLeaseBoot: the holder machine's boot id
  long pid = 0;         // kLeasePid
};

// Remembers, per host, which (record id, seq) pair was last seen and when it
// first appeared by this process's steady clock.
class LeaseObservation {
 public:
  // Records what was read on `host` at `now`. The same pair as before keeps
  // its first-seen time; a different id or seq starts a new observation.
  void Saw(const std::string& host, const std::string& id, uint64_t seq,
           LeaseClock::time_point now);
  // The host has no record (or was not readable): its observation is dropped,
  // so a record that appears later is timed from when it is first seen.
  void Forget(const std::string& host);
  // True when the pair seen on `host` has not changed for at least `ttl`.
  // False for a host never seen: nothing is known to be stale there.
  bool Expired(const std::string& host, LeaseClock::time_point now,
               std::chrono::milliseconds ttl) const;
  // When the pair seen on `host` first appeared; nullopt when none is seen.
  std::optional<LeaseClock::time_point> FirstSeen(const std::string& host) const;

 private:
  struct Seen {
    std::string id;
    uint64_t seq = 0;
    LeaseClock::time_point since;
  };
  std::map<std::string, Seen> seen_;
};

// The holder's own deadline: the start of the last renewal round that reached
// a quorum plus 0.8 ttl. Past it the holder must consider the lease lost.
LeaseClock::time_point HolderDeadline(LeaseClock::time_point last_quorum_round,
                                      std::chrono::milliseconds ttl);

// The earliest time a standby may take a record it first saw (with its
// current seq) at `first_seen`: first_seen + ttl. Since a standby can only
// see a seq after the holder's round that wrote it began, this is always at
// least 0.2 ttl after HolderDeadline of that round.
LeaseClock::time_point StandbyEarliestTake(LeaseClock::time_point first_seen,
                                           std::chrono::milliseconds ttl);

// The default quorum: a majority of the hosts-file hosts, floor(n/2) + 1
// (1 of 1, 2 of 2, 2 of 3, 3 of 4, 3 of 5).
size_t LeaseMajority(size_t hosts_in_file);

// "alice@host1 pid 4242" -> "alice@host1": the user and machine part of a
// holder name, which a restarted process of ours shares.
std::string HolderIdentity(const std::string& holder);

// True when `record` was left by a dead process of ours: same holder
// identity, same boot id, another pid that no longer exists (the caller asks
// the kernel, kill(pid, 0) == ESRCH, and passes the answer). Such a record is
// taken at once, without waiting for ttl.
bool DeadProcessOfOurs(const LeaseRecord& record, const std::string& our_holder,
                       const std::string& our_boot_id, long our_pid, bool record_pid_exists);

// What a candidate does with one host's record.
enum class LeaseStep {
  kCreate,   // no record: create one
  kKeep,     // ours (we hold this record id): renew it
  kReplace,  // expired, or a dead process of ours: remove it by id, then create
  kBlocked,  // a live record of another holder: the candidate stops here
};

// The step for one host. `record` is nullopt when the host has none;
// `ours` when its id is one we hold; `expired` from LeaseObservation;
// `dead_ours` from DeadProcessOfOurs.
LeaseStep JudgeLeaseRecord(const std::optional<LeaseRecord>& record, bool ours, bool expired,
                           bool dead_ours);

// The term of a new record: one more than any term seen on any host.
uint64_t NextLeaseTerm(const std::vector<LeaseRecord>& seen);

// Whether `held` records make the lease held under `quorum`.
inline bool LeaseQuorumReached(size_t held, size_t quorum) { return quorum > 0 && held >= quorum; }

}  // namespace baton::runtime
