#include <catch2/catch.hpp>

#include "planner/plan.h"
#include "tests/planner/desired_fixture.h"

namespace baton::planner {
namespace {

using testing::Desired;
using testing::Strings;

// A hand-built state: each service with the dependencies listed.
DesiredState Graph(const std::vector<std::pair<std::string, Strings>>& services) {
  DesiredState desired;
  for (const auto& [name, dependencies] : services) {
    ServiceSpec spec;
    spec.name = name;
    spec.service.name = name;
    for (const std::string& dependency : dependencies) spec.service.depends_on[dependency] = {};
    desired.services.push_back(spec);
  }
  return desired;
}

TEST_CASE("service order: dependencies start first", "[planner][desired]") {
  DesiredState desired = Desired(
      "services:\n"
      "  web: {image: x, depends_on: [api]}\n"
      "  api: {image: x, depends_on: {db: {condition: service_healthy}, migrate: "
      "{condition: service_completed_successfully}}}\n"
      "  migrate: {image: x, depends_on: [db]}\n"
      "  db: {image: x}\n");
  CHECK(ServiceOrder(desired) == Strings{"db", "migrate", "api", "web"});
}

TEST_CASE("service order: independent services come in name order", "[planner][desired]") {
  CHECK(ServiceOrder(Graph({{"c", {}}, {"a", {"z"}}, {"b", {}}, {"z", {}}})) ==
        Strings{"b", "c", "z", "a"});
}

TEST_CASE("service order: dependencies outside the state are ignored", "[planner][desired]") {
  CHECK(ServiceOrder(Graph({{"web", {"gone"}}, {"api", {}}})) == Strings{"api", "web"});
}

TEST_CASE("service order: a cycle in a hand-built state still lists every service",
          "[planner][desired]") {
  CHECK(ServiceOrder(Graph({{"a", {"b"}}, {"b", {"a"}}, {"c", {}}, {"d", {"d"}}})) ==
        Strings{"c", "d", "a", "b"});
}

TEST_CASE("service order: an empty state has no order", "[planner][desired]") {
  CHECK(ServiceOrder(DesiredState{}).empty());
}

TEST_CASE("action kind names: each kind has its own name", "[planner][desired]") {
  CHECK(ActionKindName(ActionKind::kCreateNetwork) == "create-network");
  CHECK(ActionKindName(ActionKind::kCreateVolume) == "create-volume");
  CHECK(ActionKindName(ActionKind::kPullImage) == "pull");
  CHECK(ActionKindName(ActionKind::kPushImage) == "push");
  CHECK(ActionKindName(ActionKind::kCreateContainer) == "create");
  CHECK(ActionKindName(ActionKind::kRecreateContainer) == "recreate");
  CHECK(ActionKindName(ActionKind::kStartContainer) == "start");
  CHECK(ActionKindName(ActionKind::kStopContainer) == "stop");
  CHECK(ActionKindName(ActionKind::kRemoveContainer) == "remove");
  CHECK(ActionKindName(ActionKind::kRemoveNetwork) == "remove-network");
  CHECK(ActionKindName(ActionKind::kRemoveVolume) == "remove-volume");
  CHECK(ActionKindName(ActionKind::kRemoveImage) == "remove-image");
}

}  // namespace
}  // namespace baton::planner
