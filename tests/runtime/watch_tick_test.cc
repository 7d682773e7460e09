// The pure parts of a watcher tick: filtering a plan, merging the
// observation with host health, the placement a plan leads to.

#include "runtime/watch_tick.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/planner/plan_fixture.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;
using planner::testing::Host;

Action On(const std::string& host, const std::string& name, std::vector<size_t> after = {}) {
  Action a{ActionKind::kCreateContainer, host, "web", 1, name, "", "", std::move(after), "", ""};
  return a;
}

// "lab1 a; lab2 c after 0": each action and what it comes after.
std::string Lines(const planner::Plan& plan) {
  std::string out;
  for (const Action& a : plan.actions) {
    out += (out.empty() ? "" : "; ") + a.host + " " + a.name;
    for (size_t k = 0; k < a.after.size(); ++k)
      out += (k == 0 ? " after " : ",") + std::to_string(a.after[k]);
  }
  return out;
}

TEST_CASE("tick: dropping an action drops what comes after it and renumbers the rest",
          "[runtime][watcher]") {
  planner::Plan plan;
  // A moved slot: the removal (1) waits for the create (2), listed later.
  plan.actions = {On("lab1", "a"), On("lab2", "b", {2}), On("lab2", "c", {0}), On("lab3", "d", {0})};
  planner::Plan out = DropActions(plan, [](const Action& a) { return a.name == "c"; });
  CHECK(Lines(out) == "lab1 a; lab3 d after 0");
}

TEST_CASE("tick: a suspect host keeps its last known state, frozen; a down one is unreachable",
          "[runtime][watcher]") {
  planner::ActualState observed =
      planner::testing::Actual({Host("lab1"), Host("lab2"), Host("lab3")});
  observed.hosts[1].reachable = false;  // its observation failed
  planner::HostState known = Host("lab2");
  known.containers.push_back(planner::testing::Replica(planner::testing::Service("web"), 1));
  HostConditions hosts{{"lab1", HostCondition::kUp},
                       {"lab2", HostCondition::kSuspect},
                       {"lab3", HostCondition::kDown}};
  MergedObservation merged = MergeObservation(observed, hosts, {{"lab2", known}});
  CHECK(merged.frozen == std::set<std::string>{"lab2"});
  CHECK_FALSE(merged.blind);
  CHECK(merged.actual.hosts[1].reachable);
  CHECK(merged.actual.hosts[1].containers.size() == 1);
  CHECK_FALSE(merged.actual.hosts[2].reachable);
  MergedObservation fresh = MergeObservation(observed, hosts, {});
  CHECK(fresh.blind);
}

TEST_CASE("tick: an unplaced slot keeps its recorded owner", "[runtime][watcher]") {
  planner::Plan plan;
  plan.placement = {{"web", 1, "lab1", "shop-web-1"}};
  plan.unplaced = {{"db", 1, "0/3 hosts: 1 is unreachable, 2 lack volume shop_data"}};
  planner::DesiredRecord record;
  record.placement = {{"web", {{1, "lab3"}}}, {"db", {{1, "lab3"}}}};
  std::map<std::string, std::map<int, std::string>> want = {{"web", {{1, "lab1"}}},
                                                            {"db", {{1, "lab3"}}}};
  CHECK(PlannedPlacement(plan, record) == want);
}

}  // namespace
}  // namespace baton::runtime
