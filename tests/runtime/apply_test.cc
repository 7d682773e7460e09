// ApplyPlan against fake engines: order, errors, skips, stop, and the
// container, network, volume and image removal actions.

#include "runtime/apply.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <stop_token>

#include "apply_fixture.h"
#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using planner::ActionKind;
using testing::Act;
using testing::ActOn;
using testing::CreatesAndStarts;
using testing::DockerError;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::FakeRequest;
using testing::FakeResponse;
using testing::JsonResponse;
using testing::RequestsTo;
using testing::Shop;
using testing::ShopService;

// "METHOD PATH" of every request after the connect handshake.
std::vector<std::string> Calls(const FakeDockerServer& server) {
  std::vector<std::string> calls;
  for (const FakeRequest& r : server.requests())
    if (r.path != "/_ping" && r.path != "/version") calls.push_back(r.method + " " + r.target);
  return calls;
}

planner::DesiredState ShopWithNetwork() {
  planner::DesiredState desired = Shop({ShopService("web")});
  planner::NetworkSpec network;
  network.key = "default";
  network.network.name = "shop_default";
  desired.networks.push_back(network);
  return desired;
}

TEST_CASE("apply: actions run on their host, each after the ones it comes after",
          "[runtime][apply]") {
  FakeDockerServer lab1;
  lab1.On("POST", "/v1.41/networks/create", JsonResponse("{\"Id\":\"n1\"}"));
  CreatesAndStarts(lab1, "c1");
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(ActionKind::kCreateNetwork, "lab1", "shop_default"),
                  ActOn(ActionKind::kCreateContainer, "lab1", "web", 1, {0})};
  REQUIRE(ApplyPlan(plan, ShopWithNetwork(), pool, {}).ok());
  CHECK(Calls(lab1) == std::vector<std::string>{"POST /v1.41/networks/create",
                                                "POST /v1.41/containers/create?name=shop-web-1",
                                                "POST /v1.41/containers/c1/start"});
  json body = json::parse(lab1.Last("POST", "/v1.41/containers/create")->body);
  CHECK(body["Labels"]["com.docker.compose.project"] == "shop");
  CHECK(body["Labels"]["baton.host"] == "lab1");
}

TEST_CASE("apply: a failed action skips its dependants, others go on, its error is returned",
          "[runtime][apply]") {
  FakeDockerServer lab1, lab2;
  lab1.On("POST", "/v1.41/networks/create", DockerError(500, "Internal Server Error", "boom"));
  CreatesAndStarts(lab2, "c2");
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(ActionKind::kCreateNetwork, "lab1", "shop_default"),
                  ActOn(ActionKind::kCreateContainer, "lab1", "web", 1, {0}),
                  ActOn(ActionKind::kCreateContainer, "lab2", "web", 2)};
  testing::ProgressLog log;
  ApplyOptions options;
  options.on_progress = log.Sink();
  Status s = ApplyPlan(plan, ShopWithNetwork(), pool, options);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() ==
        "host lab1: create network shop_default: 500 Internal Server Error: boom");
  CHECK(RequestsTo(lab1, "POST", "/v1.41/containers/").empty());
  CHECK(log.TextsOf(1) == std::vector<std::string>{"skipped: create network shop_default failed"});
  CHECK(lab2.Last("POST", "/v1.41/containers/c2/start"));
  CHECK(log.TextsOf(2) == std::vector<std::string>{"create shop-web-2", "done"});
}

TEST_CASE("apply: an unreachable host fails its actions with the host's error",
          "[runtime][apply]") {
  FakeDockerServer lab1;
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {ActOn(ActionKind::kStartContainer, "lab9", "web", 1)};
  Status s = ApplyPlan(plan, Shop({ShopService("web")}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "host lab9: start shop-web-1: unknown host \"lab9\"");
}

TEST_CASE("apply: a stop before anything ran runs nothing and is interrupted", "[runtime][apply]") {
  FakeDockerServer lab1;
  CreatesAndStarts(lab1, "c1");
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {ActOn(ActionKind::kCreateContainer, "lab1", "web", 1)};
  std::stop_source stop;
  stop.request_stop();
  ApplyOptions options;
  options.stop = stop.get_token();
  Status s = ApplyPlan(plan, Shop({ShopService("web")}), pool, options);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kInternal);
  CHECK(s.error().ToString() == "interrupted");
  CHECK(Calls(lab1).empty());
}

TEST_CASE("apply: a plan whose action comes after a missing one is refused", "[runtime][apply]") {
  FakeDockerServer lab1;
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {ActOn(ActionKind::kStartContainer, "lab1", "web", 1, {3})};
  Status s = ApplyPlan(plan, Shop({ShopService("web")}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() ==
        "plan action 0 (start shop-web-1) waits for an action that does not exist or itself");
  CHECK(Calls(lab1).empty());
}

TEST_CASE("apply: recreate stops with the grace period, removes, creates and starts",
          "[runtime][apply]") {
  FakeDockerServer lab1;
  CreatesAndStarts(lab1, "new");
  FakeResponse no_content;
  no_content.status = 204;
  lab1.On("POST", "/v1.41/containers/old/stop", no_content);
  lab1.On("DELETE", "/v1.41/containers/old", no_content);
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::ServiceSpec web = ShopService("web");
  web.service.stop_grace_period = std::chrono::milliseconds(2500);
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {ActOn(ActionKind::kRecreateContainer, "lab1", "web", 1)};
  plan.actions[0].container_id = "old";
  REQUIRE(ApplyPlan(plan, Shop({web}), pool, {}).ok());
  CHECK(Calls(lab1) == std::vector<std::string>{"POST /v1.41/containers/old/stop?t=3",
                                                "DELETE /v1.41/containers/old?force=1",
                                                "POST /v1.41/containers/create?name=shop-web-1",
                                                "POST /v1.41/containers/new/start"});
}

TEST_CASE("apply: a leftover container of the project in the way is removed and created again",
          "[runtime][apply]") {
  FakeDockerServer lab1;
  lab1.On("POST", "/v1.41/containers/create",
          DockerError(409, "Conflict", "Conflict. The container name is already in use"));
  testing::Inspects(lab1, "shop-web-1", {{"Status", "created"}});
  lab1.On("DELETE", "/v1.41/containers/shop-web-1-id", JsonResponse(""));
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {ActOn(ActionKind::kCreateContainer, "lab1", "web", 1)};
  Status s = ApplyPlan(plan, Shop({ShopService("web")}), pool, {});
  // The fake refuses the second create too: what counts is that it was tried.
  REQUIRE_FALSE(s.ok());
  CHECK(Calls(lab1) == std::vector<std::string>{"POST /v1.41/containers/create?name=shop-web-1",
                                                "GET /v1.41/containers/shop-web-1/json",
                                                "DELETE /v1.41/containers/shop-web-1-id?force=1",
                                                "POST /v1.41/containers/create?name=shop-web-1"});
}

TEST_CASE("apply: a container of another project in the way is left alone", "[runtime][apply]") {
  FakeDockerServer lab1;
  lab1.On("POST", "/v1.41/containers/create",
          DockerError(409, "Conflict", "Conflict. The container name is already in use"));
  lab1.On("GET", "/v1.41/containers/shop-web-1/json",
          JsonResponse(R"({"Id":"theirs","Name":"/shop-web-1","Config":{"Labels":{}}})"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {ActOn(ActionKind::kCreateContainer, "lab1", "web", 1)};
  Status s = ApplyPlan(plan, Shop({ShopService("web")}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kConflict);
  CHECK(s.error().ToString() ==
        "host lab1: create shop-web-1: 409 Conflict: Conflict. The container name is already "
        "in use");
  CHECK(RequestsTo(lab1, "DELETE", "/").empty());
}

TEST_CASE("apply: remove stops and force-removes and a container already gone is fine",
          "[runtime][apply]") {
  FakeDockerServer lab1;
  lab1.On("POST", "/v1.41/containers/gone/stop",
          DockerError(404, "Not Found", "No such container: gone"));
  lab1.On("DELETE", "/v1.41/containers/gone",
          DockerError(404, "Not Found", "No such container: gone"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {ActOn(ActionKind::kRemoveContainer, "lab1", "old", 1)};
  plan.actions[0].container_id = "gone";
  REQUIRE(ApplyPlan(plan, Shop({}), pool, {}).ok());
  CHECK(Calls(lab1) == std::vector<std::string>{"POST /v1.41/containers/gone/stop",
                                                "DELETE /v1.41/containers/gone?force=1"});
}

TEST_CASE("apply: removing a network in use names the containers using it", "[runtime][apply]") {
  FakeDockerServer lab1;
  lab1.On("DELETE", "/v1.41/networks/shop_default",
          DockerError(403, "Forbidden", "error while removing network: has active endpoints"));
  lab1.On("GET", "/v1.41/networks/shop_default",
          JsonResponse(R"({"Id":"n1","Name":"shop_default","Containers":{
            "a1":{"Name":"other-app-1","IPv4Address":"172.18.0.2/16"}}})"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(ActionKind::kRemoveNetwork, "lab1", "shop_default")};
  Status s = ApplyPlan(plan, Shop({}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "host lab1: remove network shop_default: in use by other-app-1");
}

TEST_CASE("apply: removing a volume in use names the containers using it", "[runtime][apply]") {
  FakeDockerServer lab1;
  lab1.On("DELETE", "/v1.41/volumes/shop_data",
          DockerError(409, "Conflict", "remove shop_data: volume is in use - [abc]"));
  lab1.On("GET", "/v1.41/containers/json",
          JsonResponse(R"([{"Id":"abc","Names":["/shop-db-1"]}])"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(ActionKind::kRemoveVolume, "lab1", "shop_data")};
  Status s = ApplyPlan(plan, Shop({}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "host lab1: remove volume shop_data: in use by shop-db-1");
  CHECK(lab1.Last("GET", "/v1.41/containers/json")->target ==
        "/v1.41/containers/json?all=1&filters=%7B%22volume%22%3A%5B%22shop_data%22%5D%7D");
}

TEST_CASE("apply: creating a network that exists already succeeds", "[runtime][apply]") {
  FakeDockerServer lab1;
  lab1.On("POST", "/v1.41/networks/create",
          DockerError(409, "Conflict", "network with name shop_default already exists"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(ActionKind::kCreateNetwork, "lab1", "shop_default")};
  CHECK(ApplyPlan(plan, ShopWithNetwork(), pool, {}).ok());
}

}  // namespace
}  // namespace baton::runtime
