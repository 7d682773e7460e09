// PoolWatchIo, declared in watch_io.h: the watcher's calls over a fresh
// snapshot of the host monitor's connections.

#include "runtime/watch_io.h"

#include <charconv>
#include <utility>

#include "runtime/apply.h"
#include "runtime/observe.h"

namespace baton::runtime {
namespace {

// The pool without its Down hosts' links, so that observing does not wait
// for their timeouts; they come back unreachable.
// Only the hosts the monitor sees Up: a Down host's calls would wait for
// their timeouts, and a Suspect one is frozen (its last known state stands),
// so calls to it would only slow every tick down while it does not answer.
HostPool OnlyUpHosts(HostPool pool, const HostConditions& hosts) {
  for (HostHandle& handle : pool.hosts()) {
    auto it = hosts.find(handle.config.name);
    if (it == hosts.end() || it->second == HostCondition::kUp) continue;
    handle.docker.reset();
    handle.connection.reset();
    handle.error = Error::Unreachable("host " + handle.config.name,
                                      it->second == HostCondition::kDown ? "down" : "suspect");
  }
  return pool;
}

// kUnreachable unless a majority of the pool's hosts is reachable.
Status Majority(const HostPool& pool, const std::string& what) {
  size_t reachable = 0;
  for (const HostHandle& handle : pool.hosts()) reachable += handle.reachable() ? 1 : 0;
  size_t need = HostMajority(pool.hosts().size());
  if (reachable >= need) return Status::Ok();
  return Error::Unreachable("", what + ": " + std::to_string(reachable) + " of " +
                                    std::to_string(pool.hosts().size()) +
                                    " hosts reachable; need " + std::to_string(need));
}

// "on-failure:3" -> ("on-failure", 3).
std::pair<std::string, int> SplitPolicy(const std::string& policy) {
  size_t colon = policy.find(':');
  if (colon == std::string::npos) return {policy, 0};
  int count = 0;
  std::string_view digits = std::string_view(policy).substr(colon + 1);
  std::from_chars(digits.data(), digits.data() + digits.size(), count);
  return {policy.substr(0, colon), count};
}

}  // namespace

PoolWatchIo::PoolWatchIo(PoolWatchParts parts) : parts_(std::move(parts)) {}

WatchClock::time_point PoolWatchIo::Now() { return WatchClock::now(); }

HostConditions PoolWatchIo::Hosts() { return parts_.hosts(); }

bool PoolWatchIo::LeaseHeld(const std::string& project) {
  bool held = parts_.lease_held(project);
  FollowStatus(held);
  return held;
}

void PoolWatchIo::FollowStatus(bool held) {
  if (held) {
    if (!was_held_) resumed_status_ = std::move(standby_status_);
    standby_status_.reset();
    status_read_at_.reset();
    was_held_ = true;
    return;
  }
  was_held_ = false;
  if (!parts_.read_status) return;
  auto now = std::chrono::steady_clock::now();
  if (status_read_at_ && now - *status_read_at_ < parts_.status_refresh) return;
  status_read_at_ = now;
  // No record or no status yet keeps what was read before: the holder may
  // have just lost the hosts that held it.
  if (Result<std::string> status = parts_.read_status(); status.ok())
    standby_status_ = std::move(*status);
}

// A deploy holds its lock on a majority of the hosts, and any majority
// shares a host with it: the lock is read from the hosts that are Up, as
// long as they are a majority.
Result<std::vector<LockHolder>> PoolWatchIo::DeployLockHolders(const std::string& project) {
  HostPool pool = OnlyUpHosts(parts_.pool(), parts_.hosts());
  if (Status quorum = Majority(pool, "deploy lock of " + project); !quorum.ok())
    return quorum.error();
  return DeployLock::Holders(pool, project);
}

// From fewer than a majority, the newest record seen may be older than one
// an `up` wrote to the others: acting on it could undo that deploy.
Result<std::optional<StoredRecord>> PoolWatchIo::ReadRecord(const std::string& project) {
  HostPool pool = OnlyUpHosts(parts_.pool(), parts_.hosts());
  if (Status quorum = Majority(pool, "desired state of " + project); !quorum.ok())
    return quorum.error();
  return ReadDesiredState(pool, project);
}

Result<uint64_t> PoolWatchIo::WriteRecord(const planner::DesiredRecord& record) {
  HostPool pool = OnlyUpHosts(parts_.pool(), parts_.hosts());
  // Written only over the generation the tick read (see WriteDesiredState).
  return WriteDesiredState(pool, record, 0,
                           record.generation > 0 ? std::optional(record.generation - 1)
                                                 : std::nullopt);
}

Status PoolWatchIo::CopyRecord(const planner::DesiredRecord& record,
                               const std::vector<std::string>& hosts) {
  HostPool pool = OnlyUpHosts(parts_.pool(), parts_.hosts());
  // A host that stopped answering since the read gets its copy later.
  std::vector<std::string> up;
  for (const std::string& host : hosts)
    if (Result<DockerClient*> docker = pool.Docker(host); docker.ok()) up.push_back(host);
  return CopyDesiredState(pool, record, up);
}

planner::ActualState PoolWatchIo::Observe(const planner::DesiredState& desired) {
  HostPool pool = OnlyUpHosts(parts_.pool(), parts_.hosts());
  return ObserveProject(desired, pool);
}

Status PoolWatchIo::Apply(const planner::Plan& plan, const planner::DesiredState& desired,
                          std::stop_token stop) {
  HostPool pool = OnlyUpHosts(parts_.pool(), parts_.hosts());
  // Stopped by the caller or by losing the lease, whichever comes first.
  std::stop_source either;
  std::stop_callback by_caller(stop, [&] { either.request_stop(); });
  std::optional<std::stop_callback<std::function<void()>>> by_lease;
  if (parts_.lease_lost)
    by_lease.emplace(parts_.lease_lost(plan.project), [&] { either.request_stop(); });
  ApplyOptions options;
  options.stop = either.get_token();
  options.netd = parts_.netd;
  return ApplyPlan(plan, desired, pool, options);
}

Status PoolWatchIo::TakeOver(const std::string& host, const std::string& id) {
  HostPool pool = parts_.pool();
  Result<DockerClient*> docker = pool.Docker(host);
  if (!docker.ok()) return docker.error();
  if (Status off = (*docker)->UpdateRestartPolicy(id, "no"); !off.ok()) return off;
  return (*docker)->StopContainer(id, std::chrono::seconds(0));
}

Status PoolWatchIo::Restore(const std::string& host, const std::string& id,
                            const std::string& policy) {
  HostPool pool = parts_.pool();
  Result<DockerClient*> docker = pool.Docker(host);
  if (!docker.ok()) return docker.error();
  auto [name, count] = SplitPolicy(policy);
  return (*docker)->UpdateRestartPolicy(id, name, count);
}

Status PoolWatchIo::Start(const std::string& host, const std::string& id) {
  HostPool pool = parts_.pool();
  Result<DockerClient*> docker = pool.Docker(host);
  if (!docker.ok()) return docker.error();
  return (*docker)->StartContainer(id);
}

void PoolWatchIo::Notify(const WatchEvent& event) {
  if (parts_.notify) parts_.notify(event);
}

planner::UpOptions PoolWatchIo::PlanOptions(const std::string&) {
  planner::UpOptions options;
  options.cluster_subnet = parts_.cluster.subnet;
  options.slice_prefix = parts_.cluster.slice_prefix;
  if (parts_.netd) options.netd_hashes = parts_.netd->SpecHashes();
  return options;
}

void PoolWatchIo::PublishRestartStatus(const std::string&, const std::string& json) {
  if (parts_.publish_status) parts_.publish_status(json);
}

std::optional<std::string> PoolWatchIo::TakeResumedRestartStatus(const std::string&) {
  return std::exchange(resumed_status_, std::nullopt);
}

}  // namespace baton::runtime
