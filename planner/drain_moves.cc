// DrainFates, MoveTargets and JudgeMoves, declared in drain_moves.h.

#include "planner/drain_moves.h"

#include <algorithm>

namespace baton::planner {
namespace {

const Assignment* AssignmentOf(const Plan& plan, const std::string& service, int slot) {
  for (const Assignment& a : plan.placement)
    if (a.service == service && a.slot == slot) return &a;
  return nullptr;
}

const Unplaced* UnplacedOf(const Plan& plan, const std::string& service, int slot) {
  for (const Unplaced& u : plan.unplaced)
    if (u.service == service && u.slot == slot) return &u;
  return nullptr;
}

bool Creates(const Action& a) {
  return a.kind == ActionKind::kCreateContainer || a.kind == ActionKind::kRecreateContainer;
}

// The plan brings up the slot on `host`, or a container of it is already there.
bool RunsOn(const Plan& plan, const ActualState& actual, const std::string& service, int slot,
            const std::string& host) {
  for (const Action& a : plan.actions)
    if (Creates(a) && a.host == host && a.service == service && a.slot == slot) return true;
  const HostState* state = actual.FindHost(host);
  if (state == nullptr) return false;
  auto same = [&](const ActualContainer& c) { return c.service == service && c.slot == slot; };
  return std::any_of(state->containers.begin(), state->containers.end(), same);
}

const Action* RemovalOf(const Plan& plan, const ActualContainer& c, const std::string& host) {
  for (const Action& a : plan.actions)
    if (a.kind == ActionKind::kRemoveContainer && a.host == host &&
        (a.container_id == c.id || (a.container_id.empty() && a.name == c.name)))
      return &a;
  return nullptr;
}

// A replica placed on the drained host again: the drain filter lets only a
// replica pinned by a local volume the host holds stay.
std::string StayReason(const ServiceSpec* spec, const HostState& host) {
  if (spec != nullptr)
    for (const std::string& volume : spec->local_volumes)
      if (host.volumes.count(volume)) return "pinned by volume " + volume;
  return "";
}

DrainFate FateOf(const DesiredState& desired, const ActualState& actual, const Plan& plan,
                 const HostState& host, const ActualContainer& c) {
  DrainFate fate{DrainFate::Kind::kStuck, c.service, c.slot, "", ""};
  const ServiceSpec* spec = desired.FindService(c.service);
  const Assignment* a = AssignmentOf(plan, c.service, c.slot);
  if (spec != nullptr && a != nullptr) {
    if (a->host == host.name) {
      fate.kind = DrainFate::Kind::kStays;
      fate.reason = StayReason(spec, host);
      return fate;
    }
    if (RunsOn(plan, actual, c.service, c.slot, a->host)) {
      fate.kind = DrainFate::Kind::kMoves;
      fate.to = a->host;
      return fate;
    }
  }
  if (const Unplaced* u = UnplacedOf(plan, c.service, c.slot); spec != nullptr && u != nullptr) {
    fate.reason = u->reason;
    return fate;
  }
  if (const Action* removal = RemovalOf(plan, c, host.name)) {
    fate.kind = DrainFate::Kind::kLeaves;
    fate.reason = spec != nullptr && spec->global ? "global service" : removal->reason;
    return fate;
  }
  fate.reason = "the plan does not move it";
  return fate;
}

std::string Replica(const DrainFate& fate) {
  return fate.service + " " + std::to_string(fate.slot);
}

bool Stopped(const ActualContainer& c) {
  bool ended = c.state == "exited" || c.state == "dead";
  return ended && (c.restart_policy.empty() || c.restart_policy == "no");
}

}  // namespace

std::vector<DrainFate> DrainFates(const DesiredState& desired, const ActualState& actual,
                                  const Plan& plan, const std::string& host) {
  std::vector<DrainFate> fates;
  const HostState* state = actual.FindHost(host);
  if (state == nullptr) return fates;
  for (const ActualContainer& c : state->containers)
    fates.push_back(FateOf(desired, actual, plan, *state, c));
  return fates;
}

std::string DescribeFate(const DrainFate& fate, const std::string& host) {
  switch (fate.kind) {
    case DrainFate::Kind::kMoves:
      return Replica(fate) + " moves from " + host + " to " + fate.to;
    case DrainFate::Kind::kLeaves:
      return Replica(fate) + " leaves " + host +
             (fate.reason.empty() ? "" : " (" + fate.reason + ")");
    case DrainFate::Kind::kStays:
    case DrainFate::Kind::kStuck:
      return Replica(fate) + " stays on " + host + (fate.reason.empty() ? "" : ": " + fate.reason);
  }
  return Replica(fate);
}

bool DrainClears(const std::vector<DrainFate>& fates) {
  return std::none_of(fates.begin(), fates.end(),
                      [](const DrainFate& f) { return f.kind == DrainFate::Kind::kStuck; });
}

std::vector<MoveTarget> MoveTargets(const std::vector<DrainFate>& fates) {
  std::vector<MoveTarget> targets;
  for (const DrainFate& fate : fates)
    if (fate.kind == DrainFate::Kind::kMoves)
      targets.push_back({fate.service, fate.slot, fate.to});
  return targets;
}

MoveProgress JudgeMoves(const std::vector<MoveTarget>& targets, const ActualState& actual) {
  MoveProgress progress;
  for (const MoveTarget& target : targets) {
    std::string name = target.service + " " + std::to_string(target.slot) + " on " + target.host;
    const HostState* host = actual.FindHost(target.host);
    const ActualContainer* found = nullptr;
    if (host != nullptr)
      for (const ActualContainer& c : host->containers)
        if (c.service == target.service && c.slot == target.slot) found = &c;
    if (found == nullptr) {
      progress.waiting.push_back(name + (host != nullptr && !host->reachable ? " (unreachable)"
                                                                             : " (not created)"));
    } else if (Stopped(*found)) {
      progress.failed.push_back(name + " (" + found->state + " with code " +
                                std::to_string(found->exit_code) + ")");
    } else if (found->state != "running") {  // "restarting" serves nothing yet
      progress.waiting.push_back(name + " (" + found->state + ")");
    } else if (!found->health.empty() && found->health != "healthy") {
      progress.waiting.push_back(name + " (" + found->health + ")");
    }
  }
  return progress;
}

}  // namespace baton::planner
