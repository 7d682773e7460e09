// WithoutLocalContent and WithoutPinned, declared in watch_tick.h: a tick's plan as the
// watcher can carry it out, with no project directory and no registry.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/container_spec.h"
#include "runtime/watch_tick.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;

bool CreatesContainer(const Action& a) {
  return a.kind == ActionKind::kCreateContainer || a.kind == ActionKind::kRecreateContainer;
}

// The first reachable host that is not frozen, is not `target`, and holds
// `image`; "" when none does.
std::string PeerWithImage(const MergedObservation& observation, const std::string& image,
                          const std::string& target) {
  for (const planner::HostState& host : observation.actual.hosts) {
    if (!host.reachable || host.name == target || observation.frozen.count(host.name)) continue;
    if (host.images.count(image)) return host.name;
  }
  return "";
}

// Turns an image fetch into a push from a peer when one has the image.
// Returns why the action cannot run, or nullopt when it can.
std::optional<std::string> FromPeer(Action& a, const MergedObservation& observation) {
  bool push = a.kind == ActionKind::kPushImage;
  if (!push && a.kind != ActionKind::kPullImage) return std::nullopt;
  std::string peer = PeerWithImage(observation, a.name, a.host);
  if (!peer.empty()) {
    a.kind = ActionKind::kPushImage;
    a.source_host = peer;
    return std::nullopt;
  }
  // A pull may still find the image in a registry. A push the planner gave
  // a source host that lacks the image waits for a build there.
  if (!push) return std::nullopt;
  if (!a.source_host.empty()) return std::string(kNeedsLocalContent);
  return "needs image " + a.name + ", which no reachable host has";
}

// Why the watcher cannot run `a` itself; nullopt when it can.
std::optional<std::string> Blocker(Action& a, const planner::DesiredState& desired,
                                   const MergedObservation& observation) {
  if (a.kind == ActionKind::kBuildImage || a.kind == ActionKind::kUploadFiles)
    return std::string(kNeedsLocalContent);
  if (CreatesContainer(a)) {
    const planner::ServiceSpec* spec = desired.FindService(a.service);
    if (spec && !SecretsToDeliver(*spec).empty()) return std::string(kNeedsLocalContent);
    return std::nullopt;
  }
  return FromPeer(a, observation);
}

// Each action's reason to be dropped ("" = kept): its own blocker, or the
// one of an action it comes after.
std::vector<std::string> DropReasons(planner::Plan& plan, const planner::DesiredState& desired,
                                     const MergedObservation& observation) {
  std::vector<std::string> reasons(plan.actions.size());
  for (size_t i = 0; i < plan.actions.size(); ++i)
    if (auto why = Blocker(plan.actions[i], desired, observation)) reasons[i] = *why;
  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t i = 0; i < plan.actions.size(); ++i) {
      if (!reasons[i].empty()) continue;
      for (size_t before : plan.actions[i].after) {
        if (before >= reasons.size() || reasons[before].empty()) continue;
        reasons[i] = reasons[before];
        changed = true;
        break;
      }
    }
  }
  return reasons;
}

// A replica that is not created stays unplaced, so its slot keeps its owner.
void Pin(planner::Plan& plan, const Action& create, const std::string& reason) {
  auto same = [&](const auto& x) { return x.service == create.service && x.slot == create.slot; };
  std::erase_if(plan.placement, same);
  if (std::none_of(plan.unplaced.begin(), plan.unplaced.end(), same))
    plan.unplaced.push_back({create.service, create.slot, reason});
}

}  // namespace

planner::Plan WithoutLocalContent(const planner::Plan& plan, const planner::DesiredState& desired,
                                  const MergedObservation& observation) {
  planner::Plan rewritten = plan;
  std::vector<std::string> reasons = DropReasons(rewritten, desired, observation);
  for (size_t i = 0; i < rewritten.actions.size(); ++i)
    if (!reasons[i].empty() && CreatesContainer(rewritten.actions[i]))
      Pin(rewritten, rewritten.actions[i], reasons[i]);
  const Action* first = rewritten.actions.data();
  return DropActions(rewritten, [&](const Action& a) { return !reasons[&a - first].empty(); });
}

planner::Placement WithoutPinned(const planner::Placement& placement,
                                 const planner::Plan& portable) {
  planner::Placement out = placement;
  for (const planner::Unplaced& u : portable.unplaced) {
    size_t before = out.assignments.size();
    std::erase_if(out.assignments, [&](const planner::Assignment& a) {
      return a.service == u.service && a.slot == u.slot;
    });
    if (out.assignments.size() != before) out.unplaced.push_back(u);
  }
  return out;
}

}  // namespace baton::runtime
