// SplitMoves, declared in move_phases.h.

#include "planner/move_phases.h"

#include <map>

namespace baton::planner {
namespace {

bool TakesDown(ActionKind kind) {
  switch (kind) {
    case ActionKind::kStopContainer:
    case ActionKind::kRemoveContainer:
    case ActionKind::kRemoveNetwork:
    case ActionKind::kRemoveVolume:
    case ActionKind::kRemoveImage:
    case ActionKind::kRemoveNetd:
    case ActionKind::kRemoveFiles:
      return true;
    default:
      return false;
  }
}

// The removals, and anything that must wait for one (which the planner
// rarely asks for, but a phase cannot run an action before what it waits on).
std::vector<bool> SecondPhase(const Plan& plan) {
  std::vector<bool> second(plan.actions.size());
  for (size_t i = 0; i < plan.actions.size(); ++i) second[i] = TakesDown(plan.actions[i].kind);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < plan.actions.size(); ++i) {
      if (second[i]) continue;
      for (size_t before : plan.actions[i].after) {
        if (before < second.size() && second[before]) {
          second[i] = changed = true;
          break;
        }
      }
    }
  }
  return second;
}

Plan Frame(const Plan& plan) {
  Plan out = plan;
  out.actions.clear();
  return out;
}

// Copies the actions of one phase, renumbering `after` into it and dropping
// what points outside (the earlier phase has finished by then).
void Fill(Plan& out, const Plan& plan, const std::vector<bool>& second, bool phase) {
  std::map<size_t, size_t> index;
  for (size_t i = 0; i < plan.actions.size(); ++i)
    if (second[i] == phase) index[i] = index.size();
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    if (second[i] != phase) continue;
    Action action = plan.actions[i];
    action.after.clear();
    for (size_t before : plan.actions[i].after)
      if (auto it = index.find(before); it != index.end()) action.after.push_back(it->second);
    out.actions.push_back(std::move(action));
  }
}

}  // namespace

MovePhases SplitMoves(const Plan& plan) {
  std::vector<bool> second = SecondPhase(plan);
  MovePhases phases{Frame(plan), Frame(plan)};
  Fill(phases.bring_up, plan, second, false);
  Fill(phases.take_down, plan, second, true);
  return phases;
}

}  // namespace baton::planner
