#include "planner/update_policy.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "tests/planner/placement_fixture.h"

namespace baton::planner {
namespace {

using namespace std::chrono_literals;
using testing::Actual;
using testing::Desired;
using testing::Host;
using testing::Service;

TEST_CASE("update policy: absent keys take Swarm's defaults", "[planner][update]") {
  UpdatePolicy none = UpdatePolicyOf(std::nullopt);
  CHECK(none.parallelism == 1);
  CHECK(none.delay == 0ns);
  CHECK(none.order == UpdateOrder::kStopFirst);
  CHECK(none.monitor == 5s);
  CHECK(none.failure_action == FailureAction::kPause);
  CHECK(none.max_failure_ratio == 0);
  CHECK(UpdatePolicyOf(compose::UpdateConfig{}) == none);
  CHECK(DescribeUpdatePolicy(none) == "1 at a time, stop-first, monitor 5s, on failure pause");
}

TEST_CASE("update policy: every key is read", "[planner][update]") {
  compose::UpdateConfig config;
  config.parallelism = 2;
  config.delay = 10s;
  config.order = "start-first";
  config.monitor = 90s;
  config.failure_action = "rollback";
  config.max_failure_ratio = 0.25;
  UpdatePolicy policy = UpdatePolicyOf(config);
  CHECK(policy.parallelism == 2);
  CHECK(policy.delay == 10s);
  CHECK(policy.order == UpdateOrder::kStartFirst);
  CHECK(policy.monitor == 90s);
  CHECK(policy.failure_action == FailureAction::kRollback);
  CHECK(policy.max_failure_ratio == 0.25);
  CHECK(DescribeUpdatePolicy(policy) ==
        "2 at a time, 10s apart, start-first, monitor 1m30s, on failure rollback (tolerates 0.25)");
  config.parallelism = 0;
  CHECK(DescribeUpdatePolicy(UpdatePolicyOf(config)).rfind("all at once, ", 0) == 0);
}

TEST_CASE("update policy: batches go in slot order, parallelism at a time", "[planner][update]") {
  std::vector<UpdateSlot> slots = {{3, "lab3"}, {1, "lab1"}, {4, "lab1"}, {2, "lab2"}};
  auto two = UpdateBatches(slots, 2);
  REQUIRE(two.size() == 2);
  CHECK(two[0] == std::vector<UpdateSlot>{{1, "lab1"}, {2, "lab2"}});
  CHECK(two[1] == std::vector<UpdateSlot>{{3, "lab3"}, {4, "lab1"}});
  CHECK(UpdateBatches(slots, 3).back() == std::vector<UpdateSlot>{{4, "lab1"}});
  CHECK(UpdateBatches(slots, 0).size() == 1);
  CHECK(UpdateBatches({}, 1).empty());
}

TEST_CASE("update policy: start-first falls back where a port or capacity would collide",
          "[planner][update]") {
  ServiceSpec web = Service("web", 2);
  web.reserved_cpus = 0.5;
  HostState lab1 = Host("lab1");
  lab1.cpus = 2;
  lab1.reserved_cpus_elsewhere = 0.8;
  HostState lab2 = Host("lab2");
  lab2.cpus = 1;
  DesiredState desired = Desired({web});
  ActualState actual = Actual({lab1, lab2});
  Placement placement;
  placement.assignments = {{"web", 1, "lab1", "shop-web-1"}, {"web", 2, "lab2", "shop-web-2"}};
  // lab1: 2 - 0.8 - 0.5 = 0.7 free: room for one more, not two.
  CHECK_FALSE(StartFirstBlocked(desired, actual, placement, "web", "lab1", 1));
  CHECK(StartFirstBlocked(desired, actual, placement, "web", "lab1", 2) ==
        "lab1 lacks cpus for the extra replicas (need 1, free 0.7)");
  CHECK_FALSE(StartFirstBlocked(desired, actual, placement, "web", "lab2", 1));
  desired.services[0].published_ports = {{"", 8080, "tcp"}};
  CHECK(StartFirstBlocked(desired, actual, placement, "web", "lab2", 1) ==
        "publishes port 8080/tcp");
}

TEST_CASE("update policy: failures beyond the tolerated ratio trigger the failure action",
          "[planner][update]") {
  UpdatePolicy policy;
  CHECK(JudgeUpdate(0, 4, policy) == UpdateStep::kContinue);
  CHECK(JudgeUpdate(1, 4, policy) == UpdateStep::kPause);
  policy.failure_action = FailureAction::kRollback;
  CHECK(JudgeUpdate(1, 4, policy) == UpdateStep::kRollback);
  policy.max_failure_ratio = 0.25;  // one of four is tolerated, two are not
  CHECK(JudgeUpdate(1, 4, policy) == UpdateStep::kContinue);
  CHECK(JudgeUpdate(2, 4, policy) == UpdateStep::kRollback);
  policy.failure_action = FailureAction::kContinue;
  CHECK(JudgeUpdate(4, 4, policy) == UpdateStep::kContinue);
}

}  // namespace
}  // namespace baton::planner
