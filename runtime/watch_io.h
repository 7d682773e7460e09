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
#include "runtime/netd_container.h"
#include "runtime/state_store.h"
#include "runtime/watch_log.h"
#include "transport/host_config.h"

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

  // The options plans are made with, as `up` makes them: the cluster's
  // address space and each host's netd spec hash (TickInput::plan_options).
  virtual planner::UpOptions PlanOptions(const std::string& project) {
    (void)project;
    return {};
  }
  // The restart tracker's status (RestartStatusToPublish) for the lease's
  // /status.json, where the next holder resumes it.
  virtual void PublishRestartStatus(const std::string& project, const std::string& json) {
    (void)project;
    (void)json;
  }
  // Once after the lease is gained: the status the previous holder published
  // (ResumeRestartStatus), if one was read; nullopt otherwise.
  virtual std::optional<std::string> TakeResumedRestartStatus(const std::string& project) {
    (void)project;
    return std::nullopt;
  }
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
  // netd as `up` deploys it (cli PrepareNetdDeployment), owned by the caller
  // and outliving the PoolWatchIo; null: plans deploy no netd.
  const NetdDeployment* netd = nullptr;
  // The hosts file's `cluster:` settings: the address space of spanned networks.
  transport::ClusterSettings cluster;
  // The lease's status file: publish it (ProjectLease::PublishStatus), and
  // read the current holder's while standing by (ProjectLease::ReadFile of
  // "/status.json"), since taking the lease replaces the records that hold
  // it. Optional.
  std::function<void(const std::string& json)> publish_status;
  std::function<Result<std::string>()> read_status;
  // How often a standby re-reads that status, at most.
  std::chrono::milliseconds status_refresh = std::chrono::seconds(10);
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
  planner::UpOptions PlanOptions(const std::string& project) override;
  void PublishRestartStatus(const std::string& project, const std::string& json) override;
  std::optional<std::string> TakeResumedRestartStatus(const std::string& project) override;

 private:
  // While standing by, keeps the holder's latest status (at most one read
  // per status_refresh); on gaining the lease, hands it over once.
  void FollowStatus(bool held);

  PoolWatchParts parts_;
  bool was_held_ = false;
  std::optional<std::chrono::steady_clock::time_point> status_read_at_;
  std::optional<std::string> standby_status_;
  std::optional<std::string> resumed_status_;
};

}  // namespace baton::runtime
