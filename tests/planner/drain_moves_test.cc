// DrainFates, MoveTargets and JudgeMoves: what a graceful drain does to each
// replica on the drained host, from real placements and plans.

#include "planner/drain_moves.h"

#include <catch2/catch.hpp>

#include "tests/planner/placement_fixture.h"

namespace baton::planner {
namespace {

using testing::Actual;
using testing::Applied;
using testing::Desired;
using testing::Global;
using testing::Host;
using testing::Service;

using Kind = DrainFate::Kind;

struct Drained {
  DesiredState desired;
  ActualState actual;
  Plan plan;
};

// `desired` deployed over lab1..lab3, then lab2 marked drained and planned again.
Drained DrainLab2(DesiredState desired) {
  ActualState fresh = Actual({Host("lab1"), Host("lab2"), Host("lab3")});
  ActualState actual = Applied(desired, fresh, Place(desired, fresh));
  for (HostState& host : actual.hosts) {
    for (const ServiceSpec& spec : desired.services) host.images.insert(spec.service.image);
    host.drained = host.name == "lab2";
  }
  Plan plan = MakeUpPlan(desired, actual, Place(desired, actual), UpOptions{});
  return {std::move(desired), std::move(actual), std::move(plan)};
}

std::vector<std::string> Lines(const std::vector<DrainFate>& fates) {
  std::vector<std::string> lines;
  for (const DrainFate& fate : fates) lines.push_back(DescribeFate(fate, "lab2"));
  return lines;
}

TEST_CASE("drain moves: a stateless replica moves to a host the plan creates it on",
          "[planner][drain]") {
  Drained d = DrainLab2(Desired({Service("web", 3)}));
  std::vector<DrainFate> fates = DrainFates(d.desired, d.actual, d.plan, "lab2");
  REQUIRE(fates.size() == 1);
  CHECK(fates[0].kind == Kind::kMoves);
  CHECK(fates[0].service == "web");
  CHECK(fates[0].to != "lab2");
  CHECK(MoveTargets(fates) == std::vector<MoveTarget>{{"web", fates[0].slot, fates[0].to}});
  CHECK(DrainClears(fates));
}

TEST_CASE("drain moves: a replica pinned by a local volume stays and is reported",
          "[planner][drain]") {
  ServiceSpec db = Service("db");
  db.local_volumes = {"shop_data"};
  ServiceSpec web = Service("web", 2);
  DesiredState desired = Desired({db, web});
  ActualState actual = Actual({Host("lab1"), Host("lab2"), Host("lab3")});
  for (HostState& host : actual.hosts) host.images = {"img/db", "img/web"};
  actual.hosts[0].containers = {testing::Replica(web, 2)};
  actual.hosts[1].containers = {testing::Replica(db, 1), testing::Replica(web, 1)};
  actual.hosts[1].volumes = {"shop_data"};
  actual.hosts[1].drained = true;
  Plan plan = MakeUpPlan(desired, actual, Place(desired, actual), UpOptions{});
  std::vector<DrainFate> fates = DrainFates(desired, actual, plan, "lab2");
  REQUIRE(fates.size() == 2);
  CHECK(fates[0] == DrainFate{Kind::kStays, "db", 1, "", "pinned by volume shop_data"});
  CHECK(fates[1] == DrainFate{Kind::kMoves, "web", 1, "lab3", ""});
  CHECK(Lines(fates) == std::vector<std::string>{"db 1 stays on lab2: pinned by volume shop_data",
                                                 "web 1 moves from lab2 to lab3"});
  CHECK(MoveTargets(fates) == std::vector<MoveTarget>{{"web", 1, "lab3"}});
  CHECK(DrainClears(fates));
}

TEST_CASE("drain moves: a global service's replica leaves the host", "[planner][drain]") {
  Drained d = DrainLab2(Desired({Global("agent")}));
  std::vector<DrainFate> fates = DrainFates(d.desired, d.actual, d.plan, "lab2");
  REQUIRE(fates.size() == 1);
  CHECK(fates[0].kind == Kind::kLeaves);
  CHECK(Lines(fates) == std::vector<std::string>{"agent " + std::to_string(fates[0].slot) +
                                                 " leaves lab2 (global service)"});
  CHECK(MoveTargets(fates).empty());
  CHECK(DrainClears(fates));
}

TEST_CASE("drain moves: a replica no other host takes is stuck", "[planner][drain]") {
  ServiceSpec web = Service("web");
  web.constraints = {testing::Rule("node.hostname", true, "lab2")};
  Drained d = DrainLab2(Desired({web}));
  std::vector<DrainFate> fates = DrainFates(d.desired, d.actual, d.plan, "lab2");
  REQUIRE(fates.size() == 1);
  CHECK(fates[0].kind == Kind::kStuck);
  CHECK(Lines(fates) ==
        std::vector<std::string>{"web 1 stays on lab2: 0/3 hosts: 2 do not match "
                                 "node.hostname==lab2, 1 is drained"});
  CHECK_FALSE(DrainClears(fates));
}

TEST_CASE("drain moves: a slot placed elsewhere that the plan does not create leaves",
          "[planner][drain]") {
  Drained d = DrainLab2(Desired({Service("web", 3)}));
  // As WithoutStoppedServices leaves it for a stopped service: no create.
  std::erase_if(d.plan.actions, [](const Action& a) {
    return a.kind == ActionKind::kCreateContainer;
  });
  for (Action& a : d.plan.actions) a.after.clear();
  std::vector<DrainFate> fates = DrainFates(d.desired, d.actual, d.plan, "lab2");
  REQUIRE(fates.size() == 1);
  CHECK(fates[0].kind == Kind::kLeaves);
  CHECK(fates[0].reason.rfind("moved to lab", 0) == 0);
}

TEST_CASE("drain moves: describe says where a replica goes", "[planner][drain]") {
  CHECK(DescribeFate({Kind::kMoves, "web", 2, "lab1", ""}, "lab2") ==
        "web 2 moves from lab2 to lab1");
  CHECK(DescribeFate({Kind::kLeaves, "web", 4, "", "scaled down"}, "lab2") ==
        "web 4 leaves lab2 (scaled down)");
}

ActualState WithNewReplica(const std::string& state, const std::string& health,
                           const std::string& restart_policy = "") {
  ActualContainer c = testing::Replica(Service("web"), 2);
  c.state = state;
  c.health = health;
  c.restart_policy = restart_policy;
  c.exit_code = state == "exited" ? 1 : 0;
  HostState lab1 = Host("lab1");
  lab1.containers.push_back(c);
  return Actual({lab1, Host("lab2")});
}

const std::vector<MoveTarget> kTarget{{"web", 2, "lab1"}};

TEST_CASE("drain wait: a running replica without a healthcheck is ready", "[planner][drain]") {
  CHECK(JudgeMoves(kTarget, WithNewReplica("running", "")).ready());
}

TEST_CASE("drain wait: a replica whose healthcheck has not passed is waited for",
          "[planner][drain]") {
  MoveProgress starting = JudgeMoves(kTarget, WithNewReplica("running", "starting"));
  CHECK(starting.waiting == std::vector<std::string>{"web 2 on lab1 (starting)"});
  CHECK(JudgeMoves(kTarget, WithNewReplica("running", "healthy")).ready());
}

TEST_CASE("drain wait: a replica not seen yet is waited for", "[planner][drain]") {
  MoveProgress missing = JudgeMoves({{"web", 3, "lab1"}}, WithNewReplica("running", ""));
  CHECK(missing.waiting == std::vector<std::string>{"web 3 on lab1 (not created)"});
  CHECK(missing.failed.empty());
}

TEST_CASE("drain wait: an exited replica fails unless a restart policy brings it back",
          "[planner][drain]") {
  MoveProgress exited = JudgeMoves(kTarget, WithNewReplica("exited", "", "no"));
  CHECK(exited.failed == std::vector<std::string>{"web 2 on lab1 (exited with code 1)"});
  CHECK_FALSE(exited.ready());
  MoveProgress restarting = JudgeMoves(kTarget, WithNewReplica("exited", "", "always"));
  CHECK(restarting.failed.empty());
  CHECK(restarting.waiting == std::vector<std::string>{"web 2 on lab1 (exited)"});
}

}  // namespace
}  // namespace baton::planner
