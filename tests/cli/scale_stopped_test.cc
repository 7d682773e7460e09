// `baton scale` leaves a service that `baton stop` stopped stopped: the plan
// it applies starts none of its replicas.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli/scale_command.h"

namespace baton::cli {
namespace {

using planner::ActionKind;

planner::Action ContainerAction(ActionKind kind, const std::string& service, int slot,
                                std::vector<size_t> after = {}) {
  planner::Action action;
  action.kind = kind;
  action.host = "lab1";
  action.service = service;
  action.slot = slot;
  action.name = "shop-" + service + "-" + std::to_string(slot);
  action.after = std::move(after);
  return action;
}

std::vector<std::string> Names(const planner::Plan& plan) {
  std::vector<std::string> names;
  for (const planner::Action& action : plan.actions)
    names.push_back(ActionKindName(action.kind) + " " + action.name);
  return names;
}

TEST_CASE("scale: a stopped service's replicas are neither started nor created", "[cli][scale]") {
  planner::Plan plan;
  plan.actions = {ContainerAction(ActionKind::kStartContainer, "web", 1),
                  ContainerAction(ActionKind::kCreateContainer, "web", 2),
                  ContainerAction(ActionKind::kRemoveContainer, "web", 3),
                  ContainerAction(ActionKind::kCreateContainer, "api", 1, {0, 1})};
  planner::Plan kept = WithoutStoppedServices(plan, {"web"});
  CHECK(Names(kept) == std::vector<std::string>{"remove shop-web-3", "create shop-api-1"});
  CHECK(kept.actions[1].after.empty());
  CHECK(kept.notes == std::vector<std::string>{
                          "web is stopped (baton stop): its count is recorded and no replica "
                          "started; `baton up web` starts them"});
}

TEST_CASE("scale: without stopped services the plan is unchanged", "[cli][scale]") {
  planner::Plan plan;
  plan.actions = {ContainerAction(ActionKind::kStartContainer, "web", 1),
                  ContainerAction(ActionKind::kCreateContainer, "api", 1, {0})};
  planner::Plan kept = WithoutStoppedServices(plan, {"db"});
  CHECK(Names(kept) == Names(plan));
  CHECK(kept.actions[1].after == std::vector<size_t>{0});
  CHECK(kept.notes.empty());
}

}  // namespace
}  // namespace baton::cli
