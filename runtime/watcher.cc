// Watcher, declared in watcher.h: gathers a tick's inputs through WatchIo,
// runs MakeTick and carries its result out, in the order that keeps DNS
// fenced: restart steps, the new record generation, then the plan.

#include "runtime/watcher.h"

#include <algorithm>
#include <utility>

#include "planner/desired_record.h"
#include "planner/restart_backoff.h"
#include "runtime/autoscaler.h"

namespace baton::runtime {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string ConditionName(HostCondition condition) {
  switch (condition) {
    case HostCondition::kUp: return "host-up";
    case HostCondition::kSuspect: return "host-suspect";
    case HostCondition::kDown: return "host-down";
  }
  return "host-up";
}

WatchEvent HostEvent(std::string kind, std::string host) {
  WatchEvent event;
  event.kind = std::move(kind);
  event.host = std::move(host);
  return event;
}

WatchEvent ErrorEvent(const std::string& what, const Error& error) {
  WatchEvent event;
  event.level = "error";
  event.kind = "error";
  event.message = what + ": " + error.ToString();
  return event;
}

// Events that a stuck situation repeats every tick.
bool Repeats(const WatchEvent& event) {
  return event.kind == "pinned" || event.kind == "crashloop" || event.kind == "backoff" ||
         event.kind == "error";
}

std::string EventKey(const WatchEvent& event) {
  std::string key = event.kind + " " + event.service + " " + std::to_string(event.slot) + " " +
                    event.host + " " + event.message;
  for (const auto& [name, value] : event.fields) key += " " + name + "=" + value;
  return key;
}

}  // namespace

Watcher::Watcher(WatchIo& io, std::string project, WatchOptions options)
    : io_(io),
      project_(std::move(project)),
      options_(std::move(options)),
      restarts_(std::make_unique<planner::RestartTracker>()),
      autoscaler_(std::make_unique<Autoscaler>(options_.stats, options_.cpu_warm_up)) {}

Watcher::~Watcher() = default;

void Watcher::MarkDirty(const std::string& trigger) {
  std::lock_guard lock(mutex_);
  if (!dirty_) trigger_ = trigger;
  dirty_ = true;
  wake_.notify_all();
}

void Watcher::Tick() { Converge({}); }

void Watcher::Run(std::stop_token stop) {
  while (!stop.stop_requested() && !done_) {
    std::string trigger = WaitForWork(stop);
    if (stop.stop_requested()) break;
    last_tick_ = SteadyClock::now();
    failover_seconds_.reset();
    Converge(stop);
    if (options_.on_tick)
      options_.on_tick({trigger,
                        std::chrono::duration<double>(SteadyClock::now() - last_tick_).count(),
                        failover_seconds_});
  }
}

// Until something is dirty, the resync is due or a backoff ends; then at
// least min_interval after the last tick, so a burst of events is one tick.
std::string Watcher::WaitForWork(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  SteadyClock::time_point resync = SteadyClock::now() + options_.resync;
  SteadyClock::time_point deadline = resync;
  if (next_wake_) {
    auto wait = std::chrono::duration_cast<SteadyClock::duration>(*next_wake_ - io_.Now());
    deadline = std::min(deadline, SteadyClock::now() + std::max(wait, SteadyClock::duration{}));
  }
  bool dirty = wake_.wait_until(lock, stop, deadline, [&] { return dirty_; });
  std::string trigger = dirty ? trigger_ : deadline < resync ? "timer" : "resync";
  SteadyClock::time_point earliest = last_tick_ + options_.min_interval;
  wake_.wait_until(lock, stop, earliest, [] { return false; });
  dirty_ = false;
  return trigger;
}

bool Watcher::MayAct() {
  if (!io_.LeaseHeld(project_)) return false;
  Result<std::vector<LockHolder>> holders = io_.DeployLockHolders(project_);
  if (!holders.ok()) {
    NotifyOnce(ErrorEvent("read deploy lock", holders.error()));
    return false;
  }
  bool paused = !holders->empty();
  if (paused && !paused_) {
    const LockHolder& by = holders->front();
    WatchEvent event = HostEvent("paused", by.host);
    event.message = "deploy lock held by " + by.holder + " since " + by.since;
    Notify(event);
  }
  if (!paused && paused_) Notify(HostEvent("resumed", ""));
  paused_ = paused;
  return !paused;
}

// MayAct without its events: for the re-check right before the writes.
bool Watcher::StillFree() {
  if (!io_.LeaseHeld(project_)) return false;
  Result<std::vector<LockHolder>> holders = io_.DeployLockHolders(project_);
  return holders.ok() && holders->empty();
}

void Watcher::Converge(std::stop_token stop) {
  repeated_before_ = std::move(repeated_now_);
  repeated_now_.clear();
  // A tick that returns early (paused, no lease, an error) must not leave
  // the last backoff's wake-up behind, or the loop spins at min_interval.
  next_wake_.reset();
  if (!MayAct()) return;
  if (std::optional<std::string> resumed = io_.TakeResumedRestartStatus(project_))
    if (Status s = ResumeRestartStatus(*restarts_, *resumed); !s.ok())
      NotifyOnce(ErrorEvent("resume restart status", s.error()));
  Result<std::optional<StoredRecord>> stored = io_.ReadRecord(project_);
  if (!stored.ok()) return NotifyOnce(ErrorEvent("read desired state", stored.error()));
  if (!*stored) return;  // never recorded by `up`: nothing to converge to
  const planner::DesiredRecord& record = (*stored)->record;
  if (record.removed) {
    done_ = true;
    return;
  }
  if (!(*stored)->stale.empty())
    if (Status copied = io_.CopyRecord(record, (*stored)->stale); !copied.ok())
      NotifyOnce(ErrorEvent("copy desired state", copied.error()));
  const planner::DesiredState* desired = DesiredFor(**stored);
  if (!desired) return;
  MergedObservation merged = ObserveHosts(*desired);
  if (Autoscale(**stored, *desired, merged)) {
    // Plan from the new counts at once; the observation still holds.
    stored = io_.ReadRecord(project_);
    if (!stored.ok()) return NotifyOnce(ErrorEvent("read desired state", stored.error()));
    if (!*stored || (*stored)->record.removed || !(desired = DesiredFor(**stored))) return;
  }
  TickResult result = MakeTick(
      {&(*stored)->record, desired, &merged, io_.Now(), options_.written_by,
       io_.PlanOptions(project_)},
      *restarts_);
  Carry(result, *desired, stop);
  if (std::optional<std::string> status = RestartStatusToPublish(*restarts_, published_status_))
    io_.PublishRestartStatus(project_, *status);
  if (std::optional<WatchClock::time_point> sample = autoscaler_->next_sample())
    next_wake_ = next_wake_ ? std::min(*next_wake_, *sample) : *sample;
}

// True when the autoscaler wrote a new record generation.
bool Watcher::Autoscale(const StoredRecord& stored, const planner::DesiredState& desired,
                        const MergedObservation& merged) {
  AutoscaleInput input{&stored.record, &desired, &merged.actual, merged.frozen, io_.Now(),
                       options_.written_by};
  return autoscaler_->Step(io_, input);
}

const planner::DesiredState* Watcher::DesiredFor(const StoredRecord& stored) {
  if (desired_ && desired_sha_ == stored.sha256) return &*desired_;
  Result<planner::DesiredState> desired = planner::DesiredFromRecord(stored.record);
  if (!desired.ok()) {
    // A record this baton cannot re-load identically: acting on it would
    // recreate every replica, so the project is left alone.
    NotifyOnce(ErrorEvent("load desired state", desired.error()));
    return nullptr;
  }
  desired_ = std::move(*desired);
  desired_sha_ = stored.sha256;
  return &*desired_;
}

// The observation merged with the monitor's view; host health changes are
// logged, and hosts seen Up remember their state for when they turn Suspect.
MergedObservation Watcher::ObserveHosts(const planner::DesiredState& desired) {
  HostConditions hosts = io_.Hosts();
  for (const auto& [name, condition] : hosts) {
    auto before = last_conditions_.find(name);
    HostCondition was = before == last_conditions_.end() ? HostCondition::kUp : before->second;
    if (was != condition) Notify(HostEvent(ConditionName(condition), name));
  }
  last_conditions_ = hosts;
  for (const auto& [name, condition] : hosts) {
    if (condition == HostCondition::kUp) unwell_since_.erase(name);
    else unwell_since_.emplace(name, io_.Now());
  }
  planner::ActualState observed = io_.Observe(desired);
  MergedObservation merged = MergeObservation(observed, hosts, last_known_);
  for (const planner::HostState& host : observed.hosts)
    if (host.reachable && !merged.frozen.count(host.name)) last_known_[host.name] = host;
  return merged;
}

void Watcher::Carry(TickResult& result, const planner::DesiredState& desired,
                    std::stop_token stop) {
  for (const RestartStep& step : result.restarts) {
    Status done = step.kind == RestartStep::Kind::kTakeOver ? io_.TakeOver(step.host, step.id)
                  : step.kind == RestartStep::Kind::kRestore
                      ? io_.Restore(step.host, step.id, step.policy)
                      : io_.Start(step.host, step.id);
    if (!done.ok()) Notify(ErrorEvent("restart " + step.service, done.error()));
  }
  for (const WatchEvent& event : result.events) NotifyOnce(event);
  next_wake_ = result.next_wake;
  // An `up` may have taken the deploy lock, or the lease may be gone, since
  // the tick began: its record and plan were made from what is now old.
  if ((result.record || !result.plan.empty()) && !StillFree()) return;
  if (result.record) {
    // Before any create: the new generation is what fences the old owners.
    Result<uint64_t> written = io_.WriteRecord(*result.record);
    if (!written.ok()) return NotifyOnce(ErrorEvent("write desired state", written.error()));
  }
  if (result.plan.empty()) return;
  if (Status applied = io_.Apply(result.plan, desired, stop); !applied.ok())
    return NotifyOnce(ErrorEvent("apply", applied.error()));
  bool failover = std::any_of(result.events.begin(), result.events.end(),
                              [](const WatchEvent& e) { return e.kind == "failover"; });
  if (failover && !unwell_since_.empty()) {
    WatchClock::time_point first = unwell_since_.begin()->second;
    for (const auto& [host, since] : unwell_since_) first = std::min(first, since);
    failover_seconds_ = std::chrono::duration<double>(io_.Now() - first).count();
  }
}

void Watcher::Notify(WatchEvent event) {
  if (event.project.empty()) event.project = project_;
  if (event.time == WatchClock::time_point{}) event.time = io_.Now();
  io_.Notify(event);
}

void Watcher::NotifyOnce(const WatchEvent& event) {
  if (!Repeats(event)) return Notify(event);
  std::string key = EventKey(event);
  repeated_now_.insert(key);
  if (!repeated_before_.count(key)) Notify(event);
}

}  // namespace baton::runtime
