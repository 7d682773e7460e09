// PlanRollingUpdate and the step plans of a batch, on plans MakeUpPlan makes.

#include "planner/rolling_update.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "tests/planner/placement_fixture.h"

namespace baton::planner {
namespace {

using namespace std::chrono_literals;
using testing::Actual;
using testing::Applied;
using testing::Desired;
using testing::Host;
using testing::Service;

struct Changed {
  DesiredState desired;
  ActualState actual;
  Placement placement;
  Plan plan;
};

// `web` with `replicas` deployed on lab1..lab3, then its spec changed.
Changed ChangeWeb(int replicas, std::optional<compose::UpdateConfig> update = std::nullopt) {
  ServiceSpec web = Service("web", replicas);
  DesiredState before = Desired({Service("db"), web});
  ActualState fresh = Actual({Host("lab1"), Host("lab2"), Host("lab3")});
  ActualState actual = Applied(before, fresh, Place(before, fresh));
  for (HostState& host : actual.hosts)
    for (const ServiceSpec& spec : before.services) host.images.insert(spec.service.image);
  web.spec_hash = "hash-web-2";
  web.part_hashes["environment"] = "e-web-2";
  web.service.deploy = compose::Deploy{};
  web.service.deploy->update_config = update;
  DesiredState after = Desired({Service("db"), web});
  Placement placement = Place(after, actual);
  Plan plan = MakeUpPlan(after, actual, placement, UpOptions{});
  return {std::move(after), std::move(actual), std::move(placement), std::move(plan)};
}

std::vector<int> Slots(const std::vector<RollSlot>& batch) {
  std::vector<int> slots;
  for (const RollSlot& slot : batch) slots.push_back(slot.slot);
  return slots;
}

TEST_CASE("rolling update: running replicas with a changed spec roll in batches",
          "[planner][update]") {
  compose::UpdateConfig config;
  config.parallelism = 2;
  Changed c = ChangeWeb(4, config);
  RollingUpdate update = PlanRollingUpdate(c.plan, c.desired, c.actual, c.placement);
  CHECK(update.rest.actions.empty());
  REQUIRE(update.rolls.size() == 1);
  const ServiceRoll& roll = update.rolls[0];
  CHECK(roll.service == "web");
  CHECK(roll.size() == 4);
  REQUIRE(roll.batches.size() == 2);
  CHECK(Slots(roll.batches[0]) == std::vector<int>{1, 2});
  CHECK(Slots(roll.batches[1]) == std::vector<int>{3, 4});
  const RollSlot& first = roll.batches[0][0];
  CHECK(first.name == "shop-web-1");
  CHECK(first.old_id == "id-web-1");
  CHECK(first.old_hash == "hash-web");
  CHECK(first.reason == "environment changed");
  CHECK_FALSE(first.start_first);
  CHECK(DescribeRoll(roll) ==
        std::vector<std::string>{
            "web: rolling update of 4 replicas, 2 at a time, stop-first, monitor 5s, on failure "
            "pause"});
}

TEST_CASE("rolling update: a replica that is not running is replaced at once",
          "[planner][update]") {
  Changed c = ChangeWeb(2);
  for (HostState& host : c.actual.hosts)
    for (ActualContainer& container : host.containers)
      if (container.name == "shop-web-2") container.state = "exited";
  RollingUpdate update = PlanRollingUpdate(c.plan, c.desired, c.actual, c.placement);
  REQUIRE(update.rest.actions.size() == 1);
  CHECK(update.rest.actions[0].kind == ActionKind::kRecreateContainer);
  CHECK(update.rest.actions[0].name == "shop-web-2");
  REQUIRE(update.rolls.size() == 1);
  CHECK(update.rolls[0].size() == 1);
}

TEST_CASE("rolling update: start-first falls back per host and says why", "[planner][update]") {
  compose::UpdateConfig config;
  config.order = "start-first";
  Changed c = ChangeWeb(3, config);
  RollingUpdate update = PlanRollingUpdate(c.plan, c.desired, c.actual, c.placement);
  REQUIRE(update.rolls.size() == 1);
  for (const std::vector<RollSlot>& batch : update.rolls[0].batches)
    for (const RollSlot& slot : batch) CHECK(slot.start_first);

  c.desired.services[1].published_ports = {{"", 8080, "tcp"}};
  update = PlanRollingUpdate(c.plan, c.desired, c.actual, c.placement);
  const RollSlot& slot = update.rolls[0].batches[0][0];
  CHECK_FALSE(slot.start_first);
  CHECK(slot.fallback == "publishes port 8080/tcp");
  std::vector<std::string> lines = DescribeRoll(update.rolls[0]);
  REQUIRE(lines.size() == 4);
  CHECK(lines[1] == "web: stop-first on lab1: publishes port 8080/tcp");  // once per host, sorted
  CHECK(lines[3] == "web: stop-first on lab3: publishes port 8080/tcp");
}

TEST_CASE("rolling update: a rollback follows rollback_config", "[planner][update]") {
  Changed c = ChangeWeb(2);
  compose::UpdateConfig rollback;
  rollback.parallelism = 0;
  c.desired.services[1].service.deploy->rollback_config = rollback;
  RollingUpdate update = PlanRollingUpdate(c.plan, c.desired, c.actual, c.placement, true);
  REQUIRE(update.rolls.size() == 1);
  CHECK(update.rolls[0].batches.size() == 1);
  CHECK(update.rolls[0].policy.parallelism == 0);
  CHECK(DescribeRoll(update.rolls[0])[0] ==
        "web: rollback of 2 replicas, all at once, stop-first, monitor 5s, on failure pause");
}

TEST_CASE("rolling update: each step holds only its own actions", "[planner][update]") {
  Changed c = ChangeWeb(2);
  RollingUpdate update = PlanRollingUpdate(c.plan, c.desired, c.actual, c.placement);
  const std::vector<RollSlot>& batch = update.rolls[0].batches[0];
  Plan stop_first = StopFirstStep(update.rest, "web", batch);
  REQUIRE(stop_first.actions.size() == 1);
  CHECK(stop_first.actions[0].kind == ActionKind::kRecreateContainer);
  CHECK(stop_first.actions[0].container_id == "id-web-1");
  CHECK(stop_first.project == "shop");
  CHECK(stop_first.placement.size() == c.plan.placement.size());
  Plan start = StartNewStep(update.rest, "web", batch);
  REQUIRE(start.actions.size() == 1);
  CHECK(start.actions[0].kind == ActionKind::kCreateContainer);
  CHECK(start.actions[0].name == "shop-web-1");
  CHECK(start.actions[0].container_id.empty());
  Plan remove = RemoveOldStep(update.rest, "web", batch);
  REQUIRE(remove.actions.size() == 1);
  CHECK(remove.actions[0].kind == ActionKind::kRemoveContainer);
  CHECK(remove.actions[0].container_id == "id-web-1");
  CHECK(remove.actions[0].name == "shop-web-1-replaced");
}

TEST_CASE("rolling update: an interrupted start-first leaves nothing behind at the next up",
          "[planner][update]") {
  Changed c = ChangeWeb(1);
  HostState* host = nullptr;
  for (HostState& h : c.actual.hosts)
    if (!h.containers.empty() && h.containers.back().service == "web") host = &h;
  REQUIRE(host != nullptr);
  ActualContainer& old = host->containers.back();
  old.name = "shop-web-1-replaced";
  // Only the renamed old replica: it is the slot's container, recreated.
  Plan plan = MakeUpPlan(c.desired, c.actual, c.placement, UpOptions{});
  REQUIRE(plan.actions.size() == 1);
  CHECK(plan.actions[0].kind == ActionKind::kRecreateContainer);
  CHECK(plan.actions[0].container_id == "id-web-1");
  // The new replica runs beside it: the old one goes.
  ActualContainer fresh = testing::Replica(c.desired.services[1], 1);
  fresh.id = "id-web-1-new";
  host->containers.push_back(fresh);
  plan = MakeUpPlan(c.desired, c.actual, c.placement, UpOptions{});
  REQUIRE(plan.actions.size() == 1);
  CHECK(plan.actions[0].kind == ActionKind::kRemoveContainer);
  CHECK(plan.actions[0].container_id == "id-web-1");
  CHECK(plan.actions[0].reason == "replaced by shop-web-1");
}

TEST_CASE("rolling update: a new replica counts once healthy or monitored and in DNS",
          "[planner][update]") {
  UpdatePolicy policy;  // monitor 5s
  ActualContainer c = testing::Replica(Service("web"), 1);
  const std::string hash = c.spec_hash;
  auto state = [&](std::chrono::nanoseconds running, std::optional<bool> dns) {
    return JudgeNewReplica(&c, hash, running, dns, policy).state;
  };
  using enum ReplicaUpdate;
  CHECK(JudgeNewReplica(nullptr, hash, 0s, true, policy).state == kWaiting);
  CHECK(JudgeNewReplica(&c, "other", 10s, true, policy).detail == "not created yet");
  CHECK(state(2s, true) == kWaiting);
  CHECK(state(5s, true) == kUpdated);
  CHECK(state(5s, false) == kWaiting);
  CHECK(state(5s, std::nullopt) == kUpdated);
  c.health = "starting";
  CHECK(state(10s, true) == kWaiting);
  c.health = "healthy";
  CHECK(state(0s, true) == kUpdated);
  c.health = "unhealthy";
  CHECK(JudgeNewReplica(&c, hash, 0s, true, policy).detail == "unhealthy");
  c.health = "";
  c.restart_count = 2;
  CHECK(JudgeNewReplica(&c, hash, 10s, true, policy).detail == "restarted 2 times");
  c.restart_count = 0;
  c.state = "exited";
  c.exit_code = 3;
  ReplicaProgress exited = JudgeNewReplica(&c, hash, 10s, true, policy);
  CHECK(exited.state == kFailed);
  CHECK(exited.detail == "exited with code 3");
}

}  // namespace
}  // namespace baton::planner
