// The drained-host marker (runtime/drain_marker.h) and how observe reads it
// and the restart facts of replicas (runtime/observe.cc).

#include "runtime/drain_marker.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "apply_fixture.h"
#include "docker_server_fake.h"
#include "runtime/observe.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using testing::DockerError;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::JsonResponse;
using testing::RequestsTo;

constexpr char kMarkerPath[] = "/v1.41/containers/baton-drain/json";

void Ready(FakeDockerServer& server) {
  server.On("GET", "/v1.41/images/baton%2Flock%3A1/json", JsonResponse("{\"Id\":\"sha256:l\"}"));
  server.On("POST", "/v1.41/containers/create", JsonResponse("{\"Id\":\"m1\"}"));
}

void Marked(FakeDockerServer& server, const std::string& role) {
  server.On("GET", kMarkerPath,
            JsonResponse(json{{"Id", "m1"},
                              {"Name", "/baton-drain"},
                              {"Config",
                               {{"Labels",
                                 {{"baton.role", role},
                                  {"baton.drained-by", "alice@laptop pid 4"},
                                  {"baton.drained-since", "2026-11-29T05:07:13Z"}}}}},
                              {"State", {{"Status", "created"}}}}
                             .dump()));
}

void NotMarked(FakeDockerServer& server) {
  server.On("GET", kMarkerPath, DockerError(404, "Not Found", "No such container: baton-drain"));
}

TEST_CASE("drain marker: drain creates a never-started baton-drain container", "[runtime][drain]") {
  FakeDockerServer server;
  Ready(server);
  HostPool pool = FakePool({{"lab1", &server}});
  REQUIRE(MarkDrained(**pool.Docker("lab1"), "bob@desk pid 7").ok());
  auto create = server.Last("POST", "/v1.41/containers/create");
  REQUIRE(create);
  CHECK(create->target == "/v1.41/containers/create?name=baton-drain");
  json body = json::parse(create->body);
  CHECK(body["Image"] == "baton/lock:1");
  CHECK(body["Labels"]["baton.role"] == "drain");
  CHECK(body["Labels"]["baton.drained-by"] == "bob@desk pid 7");
  CHECK(body["Labels"]["baton.drained-since"].get<std::string>().size() == 20);
  CHECK_FALSE(body["Labels"].contains("com.docker.compose.project"));
  CHECK(RequestsTo(server, "POST", "/v1.41/containers/m1/start").empty());
}

TEST_CASE("drain marker: draining a drained host keeps the first marker", "[runtime][drain]") {
  FakeDockerServer server;
  Ready(server);
  server.On("POST", "/v1.41/containers/create",
            DockerError(409, "Conflict", "Conflict. The container name is in use"));
  Marked(server, "drain");
  HostPool pool = FakePool({{"lab1", &server}});
  REQUIRE(MarkDrained(**pool.Docker("lab1"), "bob@desk pid 7").ok());
  Result<DrainInfo> info = ReadDrain(**pool.Docker("lab1"));
  REQUIRE(info.ok());
  CHECK(info->by == "alice@laptop pid 4");
  CHECK(info->since == "2026-11-29T05:07:13Z");
}

TEST_CASE("drain marker: a stranger's container of the name is a conflict", "[runtime][drain]") {
  FakeDockerServer server;
  Ready(server);
  server.On("POST", "/v1.41/containers/create",
            DockerError(409, "Conflict", "Conflict. The container name is in use"));
  Marked(server, "");
  HostPool pool = FakePool({{"lab1", &server}});
  Status s = MarkDrained(**pool.Docker("lab1"), "bob@desk pid 7");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kConflict);
  CHECK(s.error().ToString() ==
        "a container named baton-drain that baton did not make exists; remove it first");
  CHECK(IsDrained(**pool.Docker("lab1")).value() == false);
}

TEST_CASE("drain marker: activate removes the marker and an active host is left as is",
          "[runtime][drain]") {
  FakeDockerServer drained, active;
  Marked(drained, "drain");
  drained.On("DELETE", "/v1.41/containers/m1", JsonResponse(""));
  NotMarked(active);
  HostPool pool = FakePool({{"lab1", &drained}, {"lab2", &active}});
  CHECK(IsDrained(**pool.Docker("lab1")).value());
  CHECK_FALSE(IsDrained(**pool.Docker("lab2")).value());
  REQUIRE(Activate(**pool.Docker("lab1")).ok());
  auto removed = drained.Last("DELETE", "/v1.41/containers/m1");
  REQUIRE(removed);
  CHECK(removed->target == "/v1.41/containers/m1?force=1");
  REQUIRE(Activate(**pool.Docker("lab2")).ok());
  CHECK(RequestsTo(active, "DELETE", "/v1.41/containers/m1").empty());
}

// One engine with a drain marker and one crash-looping replica of shop.
void ServeDrainedShop(FakeDockerServer& server) {
  server.On("GET", "/v1.41/info", JsonResponse(R"({"Name": "e", "OSType": "linux",
      "Architecture": "x86_64", "NCPU": 2, "MemTotal": 1073741824})"));
  server.On("GET", "/v1.41/containers/json", JsonResponse(R"([
    {"Id": "m1", "Names": ["/baton-drain"], "State": "created", "Labels": {"baton.role": "drain"}},
    {"Id": "w1", "Names": ["/shop-web-1"], "State": "restarting",
     "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "web",
                "baton.slot": "1"}}])"));
  server.On("GET", "/v1.41/containers/w1/json", JsonResponse(R"({
    "Id": "w1", "Name": "/shop-web-1", "RestartCount": 4,
    "Config": {"Image": "baton/busybox:lab", "Labels": {
      "com.docker.compose.project": "shop", "com.docker.compose.service": "web",
      "baton.slot": "1", "baton.restart": "on-failure:5"}},
    "HostConfig": {"RestartPolicy": {"Name": "no", "MaximumRetryCount": 0}},
    "State": {"Status": "exited", "ExitCode": 3, "StartedAt": "2026-11-29T05:07:13Z",
              "FinishedAt": "2026-11-29T05:07:15.5Z"}})"));
  Marked(server, "drain");
  server.On("GET", "/v1.41/networks", JsonResponse("[]"));
  server.On("GET", "/v1.41/volumes", JsonResponse(R"({"Volumes": []})"));
}

TEST_CASE("observe: a baton-drain container marks the host drained", "[runtime][drain]") {
  FakeDockerServer server;
  ServeDrainedShop(server);
  HostPool pool = FakePool({{"lab1", &server}});
  planner::ActualState actual = ObserveProjectByName("shop", pool);
  REQUIRE(actual.hosts.size() == 1);
  CHECK(actual.hosts[0].reachable);
  CHECK(actual.hosts[0].drained);
  REQUIRE(actual.hosts[0].containers.size() == 1);  // the marker is no replica
}

TEST_CASE("observe: a replica's restart facts come from its inspection", "[runtime][drain]") {
  FakeDockerServer server;
  ServeDrainedShop(server);
  HostPool pool = FakePool({{"lab1", &server}});
  planner::ActualState actual = ObserveProjectByName("shop", pool);
  REQUIRE(actual.hosts.at(0).containers.size() == 1);
  const planner::ActualContainer& web = actual.hosts[0].containers[0];
  CHECK(web.finished_at == "2026-11-29T05:07:15.5Z");
  CHECK(web.restart_count == 4);
  CHECK(web.restart_policy == "no");
  CHECK(web.intended_restart == "on-failure:5");
}

}  // namespace
}  // namespace baton::runtime
