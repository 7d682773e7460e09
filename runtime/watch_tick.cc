// MergeObservation, MakeTick, DropActions, PlannedPlacement and the restart
// status helpers, declared in watch_tick.h.

#include "runtime/watch_tick.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <utility>

#include "planner/placement.h"
#include "planner/restart_backoff.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;
using planner::ActualContainer;
using planner::HostState;
using planner::RestartVerdict;

HostCondition ConditionOf(const HostConditions& hosts, const std::string& name) {
  auto it = hosts.find(name);
  return it == hosts.end() ? HostCondition::kUp : it->second;
}

// A down host keeps its last known containers and volumes, unreachable: its
// slots are free to place elsewhere, but global services do not reuse them.
HostState DownHost(const HostState& observed, const HostState* known) {
  HostState host = known ? *known : observed;
  host.reachable = false;
  host.error = "down";
  return host;
}

// What the restart supervisor decided for this tick's replicas.
struct Supervision {
  std::vector<RestartStep> steps;
  std::set<std::string> judged;    // container ids
  std::map<std::string, RestartStep> approved;  // by container id: start now
  std::vector<Action> replaces;
  std::vector<WatchEvent> events;
  std::optional<WatchClock::time_point> next_wake;
};

void WakeAt(Supervision& s, WatchClock::time_point at) {
  if (!s.next_wake || at < *s.next_wake) s.next_wake = at;
}

WatchEvent Event(const TickInput& in, std::string level, std::string kind, std::string service,
                 int slot, std::string host) {
  WatchEvent event;
  event.time = in.now;
  event.level = std::move(level);
  event.kind = std::move(kind);
  event.project = in.record->project;
  event.service = std::move(service);
  event.slot = slot;
  event.host = std::move(host);
  return event;
}

WatchEvent ReplicaEvent(const TickInput& in, std::string kind, const std::string& host,
                        const ActualContainer& c, const planner::RestartDecision& decision) {
  WatchEvent event = Event(in, "info", std::move(kind), c.service, c.slot, host);
  event.fields = {{"exit", std::to_string(c.exit_code)},
                  {"failures", std::to_string(decision.failures)}};
  event.message = decision.reason;
  return event;
}

// A crash loop waiting out its backoff: the same line on every tick of the
// wait (the watcher logs it once), so it names when, not how long.
WatchEvent BackoffEvent(const TickInput& in, const std::string& host, const ActualContainer& c,
                        const planner::RestartDecision& decision) {
  WatchEvent event = ReplicaEvent(in, "backoff", host, c, decision);
  event.level = "warn";
  event.message = decision.reason.substr(0, decision.reason.find(':')) + ": next start at " +
                  FormatRfc3339(decision.at);
  return event;
}

std::string PolicyText(const planner::RestartDecision& decision) {
  if (decision.max_retry > 0) return decision.policy_name + ":" + std::to_string(decision.max_retry);
  return decision.policy_name;
}

// Due now, or a wake-up at `at`.
bool Due(Supervision& s, WatchClock::time_point at, WatchClock::time_point now) {
  if (at <= now) return true;
  WakeAt(s, at);
  return false;
}

void Approve(Supervision& s, const std::string& host, const ActualContainer& c) {
  s.approved[c.id] = {RestartStep::Kind::kStart, host, c.id, c.service, c.slot, ""};
}

void Judge(Supervision& s, const TickInput& in, const std::string& host, const ActualContainer& c,
           planner::RestartTracker& tracker) {
  const std::vector<std::string>& stopped = in.record->stopped;
  bool by_user = std::count(stopped.begin(), stopped.end(), c.service) > 0;
  planner::RestartDecision d =
      tracker.Judge({c.service, c.slot}, planner::RunFromActual(c, by_user), in.now);
  s.judged.insert(c.id);
  switch (d.verdict) {
    case RestartVerdict::kLeave:
    case RestartVerdict::kEngine:
      // A container an interrupted `up` created but never started is no restart.
      if (c.state == "created" && c.started_at.empty()) Approve(s, host, c);
      return;
    case RestartVerdict::kTakeOver:
      s.steps.push_back({RestartStep::Kind::kTakeOver, host, c.id, c.service, c.slot, "no"});
      s.events.push_back(ReplicaEvent(in, "takeover", host, c, d));
      return;
    case RestartVerdict::kStartAt:
      if (!Due(s, d.at, in.now)) {
        if (d.failures >= 2) s.events.push_back(BackoffEvent(in, host, c, d));
        return;
      }
      Approve(s, host, c);
      s.events.push_back(ReplicaEvent(in, "restart", host, c, d));
      return;
    case RestartVerdict::kReplace:
      if (!Due(s, d.at, in.now)) return;
      s.replaces.push_back({ActionKind::kRecreateContainer, host, c.service, c.slot, c.name, c.id,
                            "unhealthy", {}, "", ""});
      s.events.push_back(ReplicaEvent(in, "replace", host, c, d));
      return;
    case RestartVerdict::kGiveUp:
      s.events.push_back(ReplicaEvent(in, "crashloop", host, c, d));
      s.events.back().level = "warn";
      return;
    case RestartVerdict::kRestore:
      s.steps.push_back(
          {RestartStep::Kind::kRestore, host, c.id, c.service, c.slot, PolicyText(d)});
      return;
  }
}

Supervision Supervise(const TickInput& in, planner::RestartTracker& tracker) {
  Supervision s;
  for (const HostState& host : in.observation->actual.hosts) {
    if (!host.reachable || in.observation->frozen.count(host.name)) continue;
    for (const ActualContainer& c : host.containers)
      if (in.desired->FindService(c.service)) Judge(s, in, host.name, c, tracker);
  }
  return s;
}

planner::PlacementHints HintsFrom(const planner::DesiredRecord& record) {
  planner::PlacementHints hints;
  for (const auto& [service, slots] : record.placement)
    for (const auto& [slot, host] : slots) hints.owner[{service, slot}] = host;
  hints.volume_hosts = record.volume_hosts;
  return hints;
}

// The placement with the replicas that need local content pinned, so that
// the plan made from it prepares nothing (network, netd, image) for them.
planner::Placement PlaceForWatcher(const TickInput& in) {
  const planner::ActualState& actual = in.observation->actual;
  planner::Placement placement = planner::Place(*in.desired, actual, HintsFrom(*in.record));
  planner::Plan first = planner::MakeUpPlan(*in.desired, actual, placement, in.plan_options);
  return WithoutPinned(placement, WithoutLocalContent(first, *in.desired, *in.observation));
}

bool Touches(const planner::Plan& plan, const std::string& id) {
  return std::any_of(plan.actions.begin(), plan.actions.end(),
                     [&](const Action& a) { return a.container_id == id; });
}

// The supervisor's verdicts applied to the plan: starts only where approved
// (approved ones the plan lacks, such as a finished job's, run as restart
// steps), unhealthy replicas recreated unless the plan already changes them.
planner::Plan Supervised(const planner::Plan& plan, Supervision& s) {
  planner::Plan out = DropActions(plan, [&](const Action& a) {
    return a.kind == ActionKind::kStartContainer && s.judged.count(a.container_id) &&
           !s.approved.count(a.container_id);
  });
  for (const auto& [id, start] : s.approved)
    if (!Touches(out, id)) s.steps.push_back(start);
  for (Action& replace : s.replaces)
    if (!Touches(out, replace.container_id)) out.actions.push_back(std::move(replace));
  return out;
}

// A create in a slot the record places on another host is a failover when
// that host is unreachable, else a move; otherwise the replica was missing.
std::string KindOfCreate(const Action& a, const TickInput& in) {
  auto service = in.record->placement.find(a.service);
  if (service == in.record->placement.end()) return "create";
  auto owner = service->second.find(a.slot);
  if (owner == service->second.end() || owner->second == a.host) return "create";
  const HostState* from = in.observation->actual.FindHost(owner->second);
  return from && from->reachable ? "move" : "failover";
}

void PlanEvents(const planner::Plan& plan, const TickInput& in, std::vector<WatchEvent>& out) {
  for (const Action& a : plan.actions) {
    std::string kind;
    if (a.kind == ActionKind::kCreateContainer) kind = KindOfCreate(a, in);
    if (a.kind == ActionKind::kRecreateContainer && a.reason != "unhealthy") kind = "recreate";
    if (a.kind == ActionKind::kRemoveContainer) kind = "remove";
    if (kind.empty()) continue;
    out.push_back(Event(in, "info", kind, a.service, a.slot, a.host));
    out.back().message = a.reason;
  }
  for (const planner::Unplaced& u : plan.unplaced) {
    out.push_back(Event(in, "warn", "pinned", u.service, u.slot, ""));
    out.back().message = u.reason;
  }
}

}  // namespace

MergedObservation MergeObservation(const planner::ActualState& observed,
                                   const HostConditions& hosts,
                                   const std::map<std::string, planner::HostState>& last_known) {
  MergedObservation merged;
  merged.actual = observed;
  for (HostState& host : merged.actual.hosts) {
    auto known = last_known.find(host.name);
    const HostState* last = known == last_known.end() ? nullptr : &known->second;
    HostCondition condition = ConditionOf(hosts, host.name);
    if (condition == HostCondition::kDown) {
      host = DownHost(host, last);
      continue;
    }
    if (condition == HostCondition::kUp && host.reachable) continue;
    // Suspect, or its observation failed: the last known state stands, frozen.
    merged.frozen.insert(host.name);
    if (last) {
      host = *last;
      host.reachable = true;
    } else {
      merged.blind = true;
    }
  }
  return merged;
}

planner::Plan DropActions(const planner::Plan& plan,
                          const std::function<bool(const Action&)>& drop) {
  std::vector<bool> dropped(plan.actions.size(), false);
  std::vector<size_t> index(plan.actions.size(), 0);
  planner::Plan out = plan;
  out.actions.clear();
  for (size_t i = 0; i < plan.actions.size(); ++i) dropped[i] = drop(plan.actions[i]);
  // `after` may point either way (a moved slot's removal waits for the new
  // replica), so the dependants are dropped to a fixed point.
  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t i = 0; i < plan.actions.size(); ++i) {
      if (dropped[i]) continue;
      for (size_t before : plan.actions[i].after)
        if (before < dropped.size() && dropped[before]) dropped[i] = changed = true;
    }
  }
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    if (dropped[i]) continue;
    index[i] = out.actions.size();
    out.actions.push_back(plan.actions[i]);
  }
  for (Action& a : out.actions)
    for (size_t& before : a.after) before = index[before];
  return out;
}

std::map<std::string, std::map<int, std::string>> PlannedPlacement(
    const planner::Plan& plan, const planner::DesiredRecord& record) {
  std::map<std::string, std::map<int, std::string>> placement;
  for (const planner::Assignment& a : plan.placement) placement[a.service][a.slot] = a.host;
  for (const planner::Unplaced& u : plan.unplaced) {
    auto service = record.placement.find(u.service);
    if (service == record.placement.end()) continue;
    auto owner = service->second.find(u.slot);
    if (owner != service->second.end()) placement[u.service][u.slot] = owner->second;
  }
  return placement;
}

std::optional<std::string> RestartStatusToPublish(const planner::RestartTracker& tracker,
                                                  std::string& published) {
  std::string status = tracker.ToStatus().dump();
  if (status == published) return std::nullopt;
  published = status;
  return status;
}

Status ResumeRestartStatus(planner::RestartTracker& tracker, const std::string& json) {
  nlohmann::json status = nlohmann::json::parse(json, nullptr, false);
  if (status.is_discarded()) return Error::Invalid("", "restart status is not JSON");
  return tracker.FromStatus(status);
}

TickResult MakeTick(const TickInput& in, planner::RestartTracker& restarts) {
  TickResult result;
  Supervision s = Supervise(in, restarts);
  const planner::ActualState& actual = in.observation->actual;
  planner::Plan plan =
      planner::MakeUpPlan(*in.desired, actual, PlaceForWatcher(in), in.plan_options);
  const std::set<std::string>& frozen = in.observation->frozen;
  bool blind = in.observation->blind;
  // Nothing acts on a frozen host; a blind tick (a frozen host never seen)
  // moves nothing at all.
  auto held_back = [&](const Action& a) { return blind || frozen.count(a.host) > 0; };
  std::set<std::pair<std::string, int>> not_created;  // new slots on a frozen host
  for (const Action& a : plan.actions)
    if (a.kind == ActionKind::kCreateContainer && held_back(a))
      not_created.insert({a.service, a.slot});
  plan = DropActions(plan, held_back);
  result.plan = WithoutLocalContent(Supervised(plan, s), *in.desired, *in.observation);
  auto planned = PlannedPlacement(result.plan, *in.record);
  // A slot whose create was held back keeps its recorded owner: recording
  // the frozen host would fence the old copy while no new one runs.
  for (const auto& [service, slot] : not_created) {
    auto recorded = in.record->placement.find(service);
    bool owned = recorded != in.record->placement.end() && recorded->second.count(slot);
    if (owned) {
      planned[service][slot] = recorded->second.at(slot);
      continue;
    }
    planned[service].erase(slot);
    if (planned[service].empty()) planned.erase(service);
  }
  if (!blind && planned != in.record->placement) {
    planner::DesiredRecord next = *in.record;
    next.placement = std::move(planned);
    next.generation = in.record->generation + 1;
    next.written_by = in.written_by;
    next.written_at = FormatRfc3339(in.now);
    result.record = std::move(next);
  }
  result.restarts = std::move(s.steps);
  result.events = std::move(s.events);
  PlanEvents(result.plan, in, result.events);
  result.next_wake = s.next_wake;
  return result;
}

}  // namespace baton::runtime
