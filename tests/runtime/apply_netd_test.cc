// ApplyPlan's netd actions against fake engines, and container creates
// on a host's slices of spanned networks.

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "apply_fixture.h"
#include "runtime/netd_container.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using planner::ActionKind;
using testing::Act;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::FakeRequest;
using testing::FakeResponse;
using testing::JsonResponse;

std::vector<std::string> Calls(const FakeDockerServer& server) {
  std::vector<std::string> calls;
  for (const FakeRequest& r : server.requests())
    if (r.path != "/_ping" && r.path != "/version") calls.push_back(r.method + " " + r.target);
  return calls;
}

FakeResponse NoContent() {
  FakeResponse response;
  response.status = 204;
  response.reason = "No Content";
  return response;
}

NetdDeployment Deployment() {
  auto deployment =
      PrepareNetd({"baton/netd:0123456789ab", "bin", ""}, {}, {[] {
                    transport::HostConfig host;
                    host.name = "lab1";
                    host.ssh.host = "10.209.0.11";
                    return host;
                  }()},
                  [](const std::string& name) -> Result<std::string> { return name; });
  if (!deployment.ok()) FAIL(deployment.error().ToString());
  return std::move(*deployment);
}

// `baton-netd health` in container `id` exits with `code`.
void HealthSays(FakeDockerServer& server, const std::string& id, int code) {
  server.On("POST", "/v1.41/containers/" + id + "/exec", JsonResponse(R"({"Id": "h1"})"));
  FakeResponse output;
  output.content_type = "application/vnd.docker.raw-stream";
  output.close_delimited = true;
  server.On("POST", "/v1.41/exec/h1/start", output);
  server.On("GET", "/v1.41/exec/h1/json",
            JsonResponse(R"({"Running": false, "ExitCode": )" + std::to_string(code) + "}"));
}

const std::vector<std::string> kHealthCheck = {
    "POST /v1.41/containers/n2/exec", "POST /v1.41/exec/h1/start", "GET /v1.41/exec/h1/json"};

planner::Plan OneAction(ActionKind kind) {
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(kind, "lab1", "baton-netd")};
  return plan;
}

// GET /containers/baton-netd/json: the host's running netd on `image`.
void HasNetd(FakeDockerServer& server, const std::string& image) {
  json info = {{"Id", "n1"},
               {"Name", "/baton-netd"},
               {"Config", {{"Image", image}, {"Labels", {{"baton.role", "netd"}}}}},
               {"State", {{"Status", "running"}, {"Running", true}}}};
  server.On("GET", "/v1.41/containers/baton-netd/json", JsonResponse(info.dump()));
  server.On("POST", "/v1.41/containers/n1/stop", NoContent());
  server.On("DELETE", "/v1.41/containers/n1", NoContent());
}

TEST_CASE("apply netd: create loads the image when missing, creates, starts and waits for ready",
          "[runtime][apply][netd]") {
  FakeDockerServer lab1;
  testing::CreatesAndStarts(lab1, "n2");
  HealthSays(lab1, "n2", 0);
  lab1.On("POST", "/v1.41/images/load", JsonResponse("{}"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  NetdDeployment netd = Deployment();
  ApplyOptions options;
  options.netd = &netd;
  REQUIRE(ApplyPlan(OneAction(ActionKind::kCreateNetd), testing::Shop({}), pool, options).ok());
  std::vector<std::string> expected{
      "GET /v1.41/containers/baton-netd/json", "GET /v1.41/images/baton%2Fnetd%3A0123456789ab/json",
      "POST /v1.41/images/load?quiet=1", "POST /v1.41/containers/create?name=baton-netd",
      "POST /v1.41/containers/n2/start"};
  expected.insert(expected.end(), kHealthCheck.begin(), kHealthCheck.end());
  CHECK(Calls(lab1) == expected);
  json body = json::parse(lab1.Last("POST", "/v1.41/containers/create")->body);
  CHECK(body["Image"] == "baton/netd:0123456789ab");
  CHECK(body["HostConfig"]["NetworkMode"] == "host");
  CHECK(body["Labels"]["baton.spec-hash"] ==
        netd.containers.at("lab1").labels.at("baton.spec-hash"));
}

TEST_CASE("apply netd: create asks again until netd says it is ready", "[runtime][apply][netd]") {
  FakeDockerServer lab1;
  testing::CreatesAndStarts(lab1, "n2");
  lab1.On("GET", "/v1.41/images/baton%2Fnetd%3A0123456789ab/json", JsonResponse("{\"Id\":\"x\"}"));
  HealthSays(lab1, "n2", 1);
  HostPool pool = FakePool({{"lab1", &lab1}});
  NetdDeployment netd = Deployment();
  ApplyOptions options;
  options.netd = &netd;
  std::thread ready([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    HealthSays(lab1, "n2", 0);
  });
  Status applied = ApplyPlan(OneAction(ActionKind::kCreateNetd), testing::Shop({}), pool, options);
  ready.join();
  REQUIRE(applied.ok());
  int checks = 0;
  for (const std::string& call : Calls(lab1)) checks += call == "GET /v1.41/exec/h1/json";
  CHECK(checks >= 2);
}

TEST_CASE("apply netd: recreate stops with 10 s, removes, creates and drops the old image",
          "[runtime][apply][netd]") {
  FakeDockerServer lab1;
  HasNetd(lab1, "baton/netd:old000000000");
  lab1.On("GET", "/v1.41/images/baton%2Fnetd%3A0123456789ab/json", JsonResponse("{\"Id\":\"x\"}"));
  testing::CreatesAndStarts(lab1, "n2");
  HealthSays(lab1, "n2", 0);
  lab1.On("DELETE", "/v1.41/images/baton%2Fnetd%3Aold000000000", JsonResponse("[]"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  NetdDeployment netd = Deployment();
  ApplyOptions options;
  options.netd = &netd;
  REQUIRE(ApplyPlan(OneAction(ActionKind::kRecreateNetd), testing::Shop({}), pool, options).ok());
  CHECK(Calls(lab1) ==
        std::vector<std::string>{
            "GET /v1.41/containers/baton-netd/json", "GET /v1.41/containers/baton-netd/json",
            "POST /v1.41/containers/n1/stop?t=10", "DELETE /v1.41/containers/n1?force=1",
            "GET /v1.41/images/baton%2Fnetd%3A0123456789ab/json",
            "POST /v1.41/containers/create?name=baton-netd", "POST /v1.41/containers/n2/start",
            "POST /v1.41/containers/n2/exec", "POST /v1.41/exec/h1/start",
            "GET /v1.41/exec/h1/json", "DELETE /v1.41/images/baton%2Fnetd%3Aold000000000"});
}

TEST_CASE("apply netd: remove stops with 10 s, removes, and leaves an image still in use",
          "[runtime][apply][netd]") {
  FakeDockerServer lab1;
  HasNetd(lab1, "baton/netd:0123456789ab");
  lab1.On("DELETE", "/v1.41/images/baton%2Fnetd%3A0123456789ab",
          testing::DockerError(409, "Conflict", "image is being used by running container"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  // Removing needs no deployment: down has no binary to hand.
  REQUIRE(ApplyPlan(OneAction(ActionKind::kRemoveNetd), testing::Shop({}), pool, {}).ok());
  CHECK(Calls(lab1) ==
        std::vector<std::string>{
            "GET /v1.41/containers/baton-netd/json", "GET /v1.41/containers/baton-netd/json",
            "POST /v1.41/containers/n1/stop?t=10", "DELETE /v1.41/containers/n1?force=1",
            "DELETE /v1.41/images/baton%2Fnetd%3A0123456789ab"});
}

TEST_CASE("apply netd: a container named baton-netd that is not netd is left alone",
          "[runtime][apply][netd]") {
  FakeDockerServer lab1;
  json info = {{"Id", "s1"}, {"Name", "/baton-netd"}, {"Config", {{"Labels", json::object()}}}};
  lab1.On("GET", "/v1.41/containers/baton-netd/json", JsonResponse(info.dump()));
  HostPool pool = FakePool({{"lab1", &lab1}});
  REQUIRE(ApplyPlan(OneAction(ActionKind::kRemoveNetd), testing::Shop({}), pool, {}).ok());
  for (const std::string& call : Calls(lab1)) CHECK(call.starts_with("GET "));
}

TEST_CASE("apply netd: create without a prepared deployment fails", "[runtime][apply][netd]") {
  FakeDockerServer lab1;
  HostPool pool = FakePool({{"lab1", &lab1}});
  Status s = ApplyPlan(OneAction(ActionKind::kCreateNetd), testing::Shop({}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "host lab1: create netd: no netd image was prepared for this plan");
}

TEST_CASE("apply: a replica on a spanned network gets the host's slice gateway as dns",
          "[runtime][apply][netd]") {
  FakeDockerServer lab1;
  testing::CreatesAndStarts(lab1, "c1");
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::ServiceSpec web = testing::ShopService("web");
  web.service.networks["default"] = std::nullopt;
  planner::DesiredState desired = testing::Shop({web});
  desired.networks.push_back({"default", {}});
  desired.networks[0].network.name = "shop_default";
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {testing::ActOn(ActionKind::kCreateContainer, "lab1", "web", 1)};
  plan.subnets = {{"lab1", {{"shop_default", "10.210.5.0/24"}}}};
  REQUIRE(ApplyPlan(plan, desired, pool, {}).ok());
  json body = json::parse(lab1.Last("POST", "/v1.41/containers/create")->body);
  CHECK(body["HostConfig"]["Dns"] == json::parse(R"(["10.210.5.1"])"));
  CHECK(body["NetworkingConfig"]["EndpointsConfig"]["shop_default"] == json::object());
}

}  // namespace
}  // namespace baton::runtime
