// depends_on across hosts in ApplyPlan, against fake engines: web on lab2
// depends on db (or migrate) on lab1.

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "apply_fixture.h"
#include "docker_server_fake.h"
#include "runtime/apply.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using planner::ActionKind;
using testing::ActOn;
using testing::Condition;
using testing::CreatesAndStarts;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::Inspects;
using testing::Placed;
using testing::Shop;
using testing::ShopService;

const json kRunningStarting = {
    {"Status", "running"}, {"Running", true}, {"Health", {{"Status", "starting"}}}};
const json kRunningHealthy = {
    {"Status", "running"}, {"Running", true}, {"Health", {{"Status", "healthy"}}}};

// Project shop: web depends on `dependency` with `condition`; web-1 is
// created on lab2, the dependency's replica 1 runs on lab1 untouched.
struct Scenario {
  planner::DesiredState desired;
  planner::Plan plan;
  Scenario(const std::string& dependency, const std::string& condition) {
    desired =
        Shop({ShopService(dependency), ShopService("web", {{dependency, Condition(condition)}})});
    if (dependency > "web") std::swap(desired.services[0], desired.services[1]);
    plan.project = "shop";
    plan.actions = {ActOn(ActionKind::kCreateContainer, "lab2", "web", 1)};
    plan.placement = {Placed(dependency, 1, "lab1"), Placed("web", 1, "lab2")};
  }
};

TEST_CASE("apply conditions: a replica starts only once its dependency elsewhere is healthy",
          "[runtime][apply][depends]") {
  FakeDockerServer lab1, lab2;
  Inspects(lab1, "shop-db-1", kRunningStarting);
  CreatesAndStarts(lab2, "w1");
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  Scenario s("db", "service_healthy");
  testing::ProgressLog log;
  ApplyOptions options;
  options.on_progress = log.Sink();
  bool created_early = true;
  std::jthread becomes_healthy([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    created_early = lab2.Last("POST", "/v1.41/containers/create").has_value();
    Inspects(lab1, "shop-db-1", kRunningHealthy);
  });
  REQUIRE(ApplyPlan(s.plan, s.desired, pool, options).ok());
  becomes_healthy.join();
  CHECK_FALSE(created_early);
  CHECK(testing::RequestsTo(lab1, "GET", "/v1.41/containers/shop-db-1/json").size() >= 2);
  CHECK(lab2.Last("POST", "/v1.41/containers/w1/start"));
  CHECK(log.TextsOf(0) ==
        std::vector<std::string>{"create shop-web-1", "waiting for db healthy", "done"});
}

TEST_CASE("apply conditions: a dependency without a healthcheck cannot become healthy",
          "[runtime][apply][depends]") {
  FakeDockerServer lab1, lab2;
  Inspects(lab1, "shop-db-1", {{"Status", "running"}, {"Running", true}});
  CreatesAndStarts(lab2, "w1");
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  Scenario s("db", "service_healthy");
  Status applied = ApplyPlan(s.plan, s.desired, pool, {});
  REQUIRE_FALSE(applied.ok());
  CHECK(applied.error().ToString() ==
        "host lab2: create shop-web-1: dependency db has no healthcheck");
  CHECK_FALSE(lab2.Last("POST", "/v1.41/containers/create"));
}

TEST_CASE("apply conditions: a one-shot dependency that exited 0 lets its dependants start",
          "[runtime][apply][depends]") {
  FakeDockerServer lab1, lab2;
  Inspects(lab1, "shop-migrate-1", {{"Status", "exited"}, {"ExitCode", 0}});
  CreatesAndStarts(lab2, "w1");
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  Scenario s("migrate", "service_completed_successfully");
  REQUIRE(ApplyPlan(s.plan, s.desired, pool, {}).ok());
  CHECK(lab2.Last("POST", "/v1.41/containers/w1/start"));
}

TEST_CASE("apply conditions: a one-shot dependency that failed fails its dependants",
          "[runtime][apply][depends]") {
  FakeDockerServer lab1, lab2;
  Inspects(lab1, "shop-migrate-1", {{"Status", "exited"}, {"ExitCode", 1}});
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  Scenario s("migrate", "service_completed_successfully");
  Status applied = ApplyPlan(s.plan, s.desired, pool, {});
  REQUIRE_FALSE(applied.ok());
  CHECK(applied.error().ToString() ==
        "host lab2: create shop-web-1: dependency migrate failed with exit code 1");
}

TEST_CASE("apply conditions: waiting gives up after the wait timeout",
          "[runtime][apply][depends]") {
  FakeDockerServer lab1, lab2;
  Inspects(lab1, "shop-db-1", kRunningStarting);
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  Scenario s("db", "service_healthy");
  ApplyOptions options;
  options.wait_timeout = std::chrono::milliseconds(500);
  Status applied = ApplyPlan(s.plan, s.desired, pool, options);
  REQUIRE_FALSE(applied.ok());
  CHECK(applied.error().ToString() ==
        "host lab2: create shop-web-1: timed out after 500ms waiting for db healthy");
}

TEST_CASE("apply conditions: a stop ends the wait as interrupted", "[runtime][apply][depends]") {
  FakeDockerServer lab1, lab2;
  Inspects(lab1, "shop-db-1", kRunningStarting);
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  Scenario s("db", "service_healthy");
  std::stop_source stop;
  ApplyOptions options;
  options.stop = stop.get_token();
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  Status applied = ApplyPlan(s.plan, s.desired, pool, options);
  REQUIRE_FALSE(applied.ok());
  CHECK(applied.error().ToString() == "interrupted");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
}

TEST_CASE("apply conditions: an optional dependency is not waited for",
          "[runtime][apply][depends]") {
  FakeDockerServer lab1, lab2;
  CreatesAndStarts(lab2, "w1");
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  Scenario s("db", "service_healthy");
  s.desired.services[1].service.depends_on["db"].required = false;
  REQUIRE(ApplyPlan(s.plan, s.desired, pool, {}).ok());
  CHECK(testing::RequestsTo(lab1, "GET", "/v1.41/containers/").empty());
}

TEST_CASE("apply conditions: a dependency this plan fails to create skips its dependants",
          "[runtime][apply][depends]") {
  FakeDockerServer lab1, lab2;
  lab1.On("POST", "/v1.41/containers/create",
          testing::DockerError(404, "Not Found", "No such image: baton/busybox:lab"));
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  Scenario s("db", "service_started");
  s.plan.actions.insert(s.plan.actions.begin(),
                        ActOn(ActionKind::kCreateContainer, "lab1", "db", 1));
  testing::ProgressLog log;
  ApplyOptions options;
  options.on_progress = log.Sink();
  Status applied = ApplyPlan(s.plan, s.desired, pool, options);
  REQUIRE_FALSE(applied.ok());
  CHECK(applied.error().ToString() ==
        "host lab1: create shop-db-1: 404 Not Found: No such image: baton/busybox:lab");
  CHECK(log.TextsOf(1).back() == "skipped: create shop-db-1 failed");
  CHECK_FALSE(lab2.Last("POST", "/v1.41/containers/create"));
}

}  // namespace
}  // namespace baton::runtime
