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
  return event.kind == "pinned" || event.kind == "crashloop" || event.kind == "error";
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
      autoscaler_(std::make_unique<Autoscaler>(options_.stats)) {}

Watcher::~Watcher() = default;

void Watcher::MarkDirty(const std::string&) {
  std::lock_guard lock(mutex_);
  dirty_ = true;
  wake_.notify_all();
}

void Watcher::Tick() { Converge({}); }

void Watcher::Run(std::stop_token stop) {
  while (!stop.stop_requested() && !done_) {
    WaitForWork(stop);
    if (stop.stop_requested()) break;
    last_tick_ = SteadyClock::now();
    Converge(stop);
  }
}

// Until something is dirty, the resync is due or a backoff ends; then at
// least min_interval after the last tick, so a burst of events is one tick.
void Watcher::WaitForWork(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  SteadyClock::time_point deadline = SteadyClock::now() + options_.resync;
  if (next_wake_) {
    auto wait = std::chrono::duration_cast<SteadyClock::duration>(*next_wake_ - io_.Now());
    deadline = std::min(deadline, SteadyClock::now() + std::max(wait, SteadyClock::duration{}));
  }
  wake_.wait_until(lock, stop, deadline, [&] { return dirty_; });
  SteadyClock::time_point earliest = last_tick_ + options_.min_interval;
  wake_.wait_until(lock, stop, earliest, [] { return false; });
  dirty_ = false;
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

void Watcher::Converge(std::stop_token stop) {
  repeated_before_ = std::move(repeated_now_);
  repeated_now_.clear();
  if (!MayAct()) return;
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
      {&(*stored)->record, desired, &merged, io_.Now(), options_.written_by}, *restarts_);
  Carry(result, *desired, stop);
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
  if (result.record) {
    // Before any create: the new generation is what fences the old owners.
    Result<uint64_t> written = io_.WriteRecord(*result.record);
    if (!written.ok()) return NotifyOnce(ErrorEvent("write desired state", written.error()));
  }
  if (result.plan.empty()) return;
  if (Status applied = io_.Apply(result.plan, desired, stop); !applied.ok())
    NotifyOnce(ErrorEvent("apply", applied.error()));
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
