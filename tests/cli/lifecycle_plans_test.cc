// The plans of `start`, `stop`, `restart` and `pull`, built from hand-made
// desired and actual states: api depends on db; web on api.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli/lifecycle_command.h"
#include "cli/plan_output.h"
#include "cli/pull_command.h"

namespace baton::cli {
namespace {

using planner::ActualContainer;
using planner::HostState;
using planner::Plan;

planner::DesiredState Shop() {
  planner::DesiredState desired;
  desired.project = "shop";
  for (const char* name : {"api", "db", "web"}) {
    planner::ServiceSpec spec;
    spec.name = name;
    spec.service.image = std::string("img-") + name;
    desired.services.push_back(spec);
  }
  desired.services[0].service.depends_on["db"] = {};
  desired.services[2].service.depends_on["api"] = {};
  return desired;
}

ActualContainer Container(const std::string& service, int slot, const std::string& state) {
  ActualContainer c;
  c.service = service;
  c.slot = slot;
  c.name = "shop-" + service + "-" + std::to_string(slot);
  c.id = "id-" + c.name;
  c.state = state;
  return c;
}

// lab1: api-1 (running), web-1 (exited); lab2: db-1 (running), web-2 (running); lab3 down.
planner::ActualState Running() {
  planner::ActualState actual;
  actual.project = "shop";
  actual.hosts.resize(3);
  actual.hosts[0].name = "lab1";
  actual.hosts[0].reachable = true;
  actual.hosts[0].containers = {Container("api", 1, "running"), Container("web", 1, "exited")};
  actual.hosts[1].name = "lab2";
  actual.hosts[1].reachable = true;
  actual.hosts[1].containers = {Container("db", 1, "running"), Container("web", 2, "running")};
  actual.hosts[2].name = "lab3";
  actual.hosts[2].error = "host lab3: connect: no route to host";
  return actual;
}

// "lab1 stop_container shop-web-1 after 0,1" per action.
std::vector<std::string> Lines(const Plan& plan) {
  std::vector<std::string> lines;
  for (const planner::Action& a : plan.actions) {
    std::string line = a.host + " " + ActionKindKey(a.kind) + " " + a.name + " " + a.container_id;
    std::string after;
    for (size_t i : a.after) after += (after.empty() ? "" : ",") + std::to_string(i);
    if (!after.empty()) line += " after " + after;
    lines.push_back(line);
  }
  return lines;
}

TEST_CASE("start plan: stopped containers in depends_on order", "[cli][lifecycle]") {
  Plan plan = MakeStartPlan(Shop(), Running(), {});
  CHECK(Lines(plan) == std::vector<std::string>{"lab1 start_container shop-web-1 id-shop-web-1"});
  CHECK(plan.unreachable_hosts == std::vector<std::string>{"lab3"});
  CHECK(plan.placement.size() == 4);
}

TEST_CASE("stop plan: dependants stop first", "[cli][lifecycle]") {
  Plan plan = MakeStopPlan(Shop(), Running(), {});
  CHECK(Lines(plan) == std::vector<std::string>{
                           "lab2 stop_container shop-web-2 id-shop-web-2",
                           "lab1 stop_container shop-api-1 id-shop-api-1 after 0",
                           "lab2 stop_container shop-db-1 id-shop-db-1 after 1",
                       });
}

TEST_CASE("restart plan: only the named service, started after its stops", "[cli][lifecycle]") {
  Plan plan = MakeRestartPlan(Shop(), Running(), {"web"});
  CHECK(Lines(plan) == std::vector<std::string>{
                           "lab1 stop_container shop-web-1 id-shop-web-1",
                           "lab2 stop_container shop-web-2 id-shop-web-2",
                           "lab1 start_container shop-web-1 id-shop-web-1 after 0,1",
                           "lab2 start_container shop-web-2 id-shop-web-2 after 0,1",
                       });
}

TEST_CASE("pull plan: one pull per host and image of the placed replicas", "[cli][pull]") {
  planner::Placement placement;
  placement.assignments = {{"api", 1, "lab1", "shop-api-1"},
                           {"db", 1, "lab2", "shop-db-1"},
                           {"web", 1, "lab1", "shop-web-1"},
                           {"web", 2, "lab2", "shop-web-2"},
                           {"web", 3, "lab1", "shop-web-3"}};
  Plan plan = MakePullPlan(Shop(), Running(), placement, {"web", "db"});
  CHECK(Lines(plan) == std::vector<std::string>{
                           "lab1 pull_image img-web ",
                           "lab2 pull_image img-db ",
                           "lab2 pull_image img-web ",
                       });
}

TEST_CASE("pull plan: services that build are skipped", "[cli][pull]") {
  planner::DesiredState desired = Shop();
  desired.services[2].service.image = "shop-web:baton-0123456789ab";
  desired.services[2].content.build = planner::BuildUse{"0123456789ab", "shop-web",
                                                        "shop-web:baton-0123456789ab", "./web"};
  planner::Placement placement;
  placement.assignments = {{"db", 1, "lab2", "shop-db-1"}, {"web", 1, "lab1", "shop-web-1"}};
  Plan plan = MakePullPlan(desired, Running(), placement, {});
  CHECK(Lines(plan) == std::vector<std::string>{"lab2 pull_image img-db "});
}

}  // namespace
}  // namespace baton::cli
