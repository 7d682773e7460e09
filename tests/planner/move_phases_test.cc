#include "planner/move_phases.h"

#include <catch2/catch.hpp>

namespace baton::planner {
namespace {

Action Make(ActionKind kind, std::string host, std::string name, std::vector<size_t> after) {
  Action action;
  action.kind = kind;
  action.host = std::move(host);
  action.name = std::move(name);
  action.after = std::move(after);
  return action;
}

std::vector<std::string> Names(const Plan& plan) {
  std::vector<std::string> names;
  for (const Action& a : plan.actions) names.push_back(a.name);
  return names;
}

TEST_CASE("move phases: creates first, removals second, order kept", "[planner][move]") {
  Plan plan;
  plan.project = "shop";
  plan.actions = {
      Make(ActionKind::kRemoveContainer, "lab1", "old-web-1", {2}),
      Make(ActionKind::kCreateNetwork, "lab2", "shop_default", {}),
      Make(ActionKind::kCreateContainer, "lab2", "new-web-1", {1}),
      Make(ActionKind::kRemoveNetwork, "lab1", "shop_default", {0}),
  };
  plan.notes = {"a note"};
  MovePhases phases = SplitMoves(plan);
  CHECK(Names(phases.bring_up) == std::vector<std::string>{"shop_default", "new-web-1"});
  CHECK(phases.bring_up.actions[1].after == std::vector<size_t>{0});
  CHECK(Names(phases.take_down) == std::vector<std::string>{"old-web-1", "shop_default"});
  CHECK(phases.take_down.actions[0].after.empty());
  CHECK(phases.take_down.actions[1].after == std::vector<size_t>{0});
  CHECK(phases.take_down.project == "shop");
  CHECK(phases.bring_up.notes == plan.notes);
}

TEST_CASE("move phases: what waits on a removal goes second", "[planner][move]") {
  Plan plan;
  plan.actions = {
      Make(ActionKind::kRemoveContainer, "lab1", "web-1", {}),
      Make(ActionKind::kCreateContainer, "lab1", "api-1", {0}),
      Make(ActionKind::kCreateContainer, "lab2", "web-1", {}),
  };
  MovePhases phases = SplitMoves(plan);
  CHECK(Names(phases.bring_up) == std::vector<std::string>{"web-1"});
  CHECK(Names(phases.take_down) == std::vector<std::string>{"web-1", "api-1"});
  CHECK(phases.take_down.actions[1].after == std::vector<size_t>{0});
}

}  // namespace
}  // namespace baton::planner
