#pragma once
// Everything the watcher (runtime/watcher.h) does to the world, as one narrow
// interface (issue 6, design 3.2). The loop and its tick see the cluster only
// through it, so tests run them over an in-memory cluster
// (tests/runtime/fake_watch_io.h) and `baton watch` over the hosts
// (PoolWatchIo below).
//
// Threads: the watcher calls a WatchIo from its loop thread only.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "base/result.h"
#include "planner/actual_state.h"
#include "planner/desired_record.h"
#include "planner/desired_state.h"
#include "planner/plan.h"
#include "runtime/deploy_lock.h"
#include "runtime/host_pool.h"
#include "runtime/state_store.h"
#include "runtime/watch_log.h"

namespace baton::runtime {

// Wall clock of the watcher's machine: restart backoffs are kept in it so a
// new lease holder can resume them (planner/restart_backoff.h).
using WatchClock = std::chrono::system_clock;

// A host's health as the host monitor judges it (design 3.1). Suspect hosts
// are frozen: their last known state stands and nothing acts on them. Only
// Down hosts give their replicas up to failover.
enum class HostCondition { kUp, kSuspect, kDown };

// Hosts-file name -> condition, for every host of the hosts file.
using HostConditions = std::map<std::string, HostCondition>;

class WatchIo {
 public:
  virtual ~WatchIo() = default;

  virtual WatchClock::time_point Now() = 0;

  virtual HostConditions Hosts() = 0;
  // True while this process holds the project's lease (runtime/project_lease.h).
  virtual bool LeaseHeld(const std::string& project) = 0;
  // Who holds the project's deploy lock (an `up` or `scale` running); empty
  // when nobody does.
  virtual Result<std::vector<LockHolder>> DeployLockHolders(const std::string& project) = 0;

  virtual Result<std::optional<StoredRecord>> ReadRecord(const std::string& project) = 0;
  // Writes the next generation; returns it (state_store.h WriteDesiredState).
  virtual Result<uint64_t> WriteRecord(const planner::DesiredRecord& record) = 0;
  virtual Status CopyRecord(const planner::DesiredRecord& record,
                            const std::vector<std::string>& hosts) = 0;

  // The project on the hosts that are not Down; a host whose reading fails
  // comes back unreachable with its error (runtime/observe.h).
  virtual planner::ActualState Observe(const planner::DesiredState& desired) = 0;
  virtual Status Apply(const planner::Plan& plan, const planner::DesiredState& desired,
                       std::stop_token stop) = 0;

  // The watcher takes over a crash loop: engine restart policy "no", then
  // stop with no grace (which cancels a pending engine restart).
  virtual Status TakeOver(const std::string& host, const std::string& id) = 0;
  // Gives a taken-over replica back to the engine: its intended policy
  // ("always", "on-failure:3", "unless-stopped").
  virtual Status Restore(const std::string& host, const std::string& id,
                         const std::string& policy) = 0;
  virtual Status Start(const std::string& host, const std::string& id) = 0;

  // A line for the log, `baton events` and the metrics.
  virtual void Notify(const WatchEvent& event) = 0;
};

// The parts of `baton watch` a PoolWatchIo reads, each owned elsewhere
// (host monitor, lease, log) and passed in as functions so that this file
// does not depend on how they are built.
struct PoolWatchParts {
  std::function<HostPool()> pool;  // a snapshot of the current connections
  std::function<HostConditions()> hosts;
  std::function<bool(const std::string& project)> lease_held;
  // Requested when the project's lease is lost: a running apply starts no
  // new action then. Optional.
  std::function<std::stop_token(const std::string& project)> lease_lost;
  std::function<void(const WatchEvent&)> notify;
};

// The real thing: each call takes a fresh pool snapshot, so a host the
// monitor reconnected is used at once, and leaves Down hosts out of
// observation (they come back unreachable).
class PoolWatchIo : public WatchIo {
 public:
  explicit PoolWatchIo(PoolWatchParts parts);

  WatchClock::time_point Now() override;
  HostConditions Hosts() override;
  bool LeaseHeld(const std::string& project) override;
  Result<std::vector<LockHolder>> DeployLockHolders(const std::string& project) override;
  Result<std::optional<StoredRecord>> ReadRecord(const std::string& project) override;
  Result<uint64_t> WriteRecord(const planner::DesiredRecord& record) override;
  Status CopyRecord(const planner::DesiredRecord& record,
                    const std::vector<std::string>& hosts) override;
  planner::ActualState Observe(const planner::DesiredState& desired) override;
  Status Apply(const planner::Plan& plan, const planner::DesiredState& desired,
               std::stop_token stop) override;
  Status TakeOver(const std::string& host, const std::string& id) override;
  Status Restore(const std::string& host, const std::string& id,
                 const std::string& policy) override;
  Status Start(const std::string& host, const std::string& id) override;
  void Notify(const WatchEvent& event) override;

 private:
  PoolWatchParts parts_;
};

}  // namespace baton::runtime
