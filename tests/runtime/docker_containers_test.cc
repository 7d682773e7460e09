#include <catch2/catch.hpp>

#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using testing::ConnectTo;
using testing::DockerError;
using testing::FakeDockerServer;
using testing::FakeResponse;
using testing::JsonResponse;
using testing::LastBody;

FakeResponse Status304() {
  FakeResponse r;
  r.status = 304;
  r.reason = "Not Modified";
  r.content_type = "";
  return r;
}

FakeResponse NoContent() {
  FakeResponse r;
  r.status = 204;
  r.reason = "No Content";
  r.content_type = "";
  return r;
}

ContainerSpec WebSpec() {
  ContainerSpec spec;
  spec.name = "web-1";
  spec.image = "baton/busybox:lab";
  spec.cmd = std::vector<std::string>{"httpd", "-f"};
  spec.env = {"MODE=prod"};
  spec.labels = {{"baton.project", "shop"}};
  spec.exposed_ports = {"9000/tcp"};
  spec.host_config.binds = {"data:/data:ro"};
  spec.host_config.port_bindings = {{"80/tcp", "", "8080"}};
  spec.host_config.restart_policy = {"on-failure", 3};
  spec.host_config.memory_bytes = 64 << 20;
  spec.host_config.nano_cpus = 500'000'000;
  spec.networks["shop_default"] = {{"web"}, ""};
  return spec;
}

TEST_CASE("docker containers: create sends the typed spec as docker's json",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/create",
            JsonResponse(R"({"Id": "c0ffee", "Warnings": []})"));
  DockerClient docker = ConnectTo(server);
  Result<ContainerCreated> created = docker.CreateContainer(WebSpec());
  REQUIRE(created.ok());
  CHECK(created->id == "c0ffee");
  CHECK(server.Last("POST", "/v1.41/containers/create")->target ==
        "/v1.41/containers/create?name=web-1");
  CHECK(LastBody(server, "POST", "/v1.41/containers/create") == json::parse(R"({
    "Image": "baton/busybox:lab", "Cmd": ["httpd", "-f"], "Env": ["MODE=prod"],
    "Labels": {"baton.project": "shop"},
    "ExposedPorts": {"9000/tcp": {}, "80/tcp": {}},
    "HostConfig": {"Binds": ["data:/data:ro"],
                   "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]},
                   "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
                   "Memory": 67108864, "NanoCpus": 500000000, "NetworkMode": "shop_default"},
    "NetworkingConfig": {"EndpointsConfig": {"shop_default": {"Aliases": ["web"]}}}})"));
}

TEST_CASE("docker containers: create merges the raw json escape hatch last",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/create", JsonResponse(R"({"Id": "c0ffee"})"));
  DockerClient docker = ConnectTo(server);
  ContainerSpec spec;
  spec.image = "baton/busybox:lab";
  spec.host_config.memory_bytes = 1000;
  spec.extra =
      json::parse(R"({"HostConfig": {"CapAdd": ["NET_ADMIN"], "Memory": null}, "Tty": true})");
  REQUIRE(docker.CreateContainer(spec).ok());
  CHECK(server.Last("POST", "/v1.41/containers/create")->target == "/v1.41/containers/create");
  CHECK(LastBody(server, "POST", "/v1.41/containers/create") ==
        json::parse(R"({"Image": "baton/busybox:lab", "Tty": true,
                        "HostConfig": {"CapAdd": ["NET_ADMIN"]}})"));
}

TEST_CASE("docker containers: a taken name is a conflict carrying docker's words",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/create",
            DockerError(409, "Conflict",
                        "Conflict. The container name \"/web-1\" is already in use by container "
                        "\"3f2a\". You have to remove (or rename) that container to be able to "
                        "reuse that name."));
  DockerClient docker = ConnectTo(server);
  Result<ContainerCreated> created = docker.CreateContainer(WebSpec());
  REQUIRE_FALSE(created.ok());
  CHECK(created.error().kind == Error::Kind::kConflict);
  CHECK(created.error().Within("create container web-1").ToString() ==
        "host lab1: create container web-1: 409 Conflict: Conflict. The container name "
        "\"/web-1\" is already in use by container \"3f2a\". You have to remove (or rename) "
        "that container to be able to reuse that name.");
}

TEST_CASE("docker containers: before api 1.44 further networks are connected after create",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/create", JsonResponse(R"({"Id": "c0ffee"})"));
  server.On("POST", "/v1.41/networks/back/connect", JsonResponse(""));
  DockerClient docker = ConnectTo(server);
  ContainerSpec spec;
  spec.image = "baton/busybox:lab";
  spec.networks["front"] = {{"web"}, ""};
  spec.networks["back"] = {{"api"}, "10.30.0.5"};
  spec.host_config.network_mode = "front";
  REQUIRE(docker.CreateContainer(spec).ok());
  json create = LastBody(server, "POST", "/v1.41/containers/create");
  CHECK(create["NetworkingConfig"] ==
        json::parse(R"({"EndpointsConfig": {"front": {"Aliases": ["web"]}}})"));
  CHECK(LastBody(server, "POST", "/v1.41/networks/back/connect") ==
        json::parse(R"({"Container": "c0ffee", "EndpointConfig": {
                          "Aliases": ["api"], "IPAMConfig": {"IPv4Address": "10.30.0.5"}}})"));
}

TEST_CASE("docker containers: a failed connect after create removes the half-made container",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/create", JsonResponse(R"({"Id": "c0ffee"})"));
  server.On("POST", "/v1.41/networks/back/connect",
            DockerError(404, "Not Found", "network back not found"));
  server.On("DELETE", "/v1.41/containers/c0ffee", JsonResponse(""));
  DockerClient docker = ConnectTo(server);
  ContainerSpec spec;
  spec.image = "baton/busybox:lab";
  spec.networks["front"] = {};
  spec.networks["back"] = {};
  spec.host_config.network_mode = "front";
  auto created = docker.CreateContainer(spec);
  REQUIRE_FALSE(created.ok());
  CHECK(created.error().ToString() ==
        "host lab1: connect network back: 404 Not Found: network back not found");
  CHECK(server.Last("DELETE", "/v1.41/containers/c0ffee"));
}

TEST_CASE("docker containers: from api 1.44 all networks go in the create call",
          "[runtime][docker][containers]") {
  FakeDockerServer server("1.44");
  server.On("POST", "/v1.44/containers/create", JsonResponse(R"({"Id": "c0ffee"})"));
  DockerClient docker = ConnectTo(server);
  ContainerSpec spec;
  spec.image = "baton/busybox:lab";
  spec.networks["front"] = {};
  spec.networks["back"] = {};
  REQUIRE(docker.CreateContainer(spec).ok());
  json create = LastBody(server, "POST", "/v1.44/containers/create");
  CHECK(create["NetworkingConfig"]["EndpointsConfig"].size() == 2);
  CHECK(create["HostConfig"]["NetworkMode"] == "back");
  CHECK_FALSE(server.Last("POST", "/v1.44/networks/front/connect"));
}

TEST_CASE("docker containers: starting a running container succeeds",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/web-1/start", Status304());
  DockerClient docker = ConnectTo(server);
  CHECK(docker.StartContainer("web-1").ok());
}

TEST_CASE("docker containers: stopping a stopped container succeeds and passes the grace",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/web-1/stop", Status304());
  DockerClient docker = ConnectTo(server);
  CHECK(docker.StopContainer("web-1", std::chrono::seconds(3)).ok());
  CHECK(server.Last("POST", "/v1.41/containers/web-1/stop")->target ==
        "/v1.41/containers/web-1/stop?t=3");
}

TEST_CASE("docker containers: removing a missing container succeeds",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("DELETE", "/v1.41/containers/web-1",
            DockerError(404, "Not Found", "No such container: web-1"));
  DockerClient docker = ConnectTo(server);
  CHECK(docker.RemoveContainer("web-1", {.force = true, .volumes = true}).ok());
  CHECK(server.Last("DELETE", "/v1.41/containers/web-1")->target ==
        "/v1.41/containers/web-1?force=1&v=1");
}

TEST_CASE("docker containers: removing a running container without force is a conflict",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("DELETE", "/v1.41/containers/web-1",
            DockerError(409, "Conflict", "You cannot remove a running container 3f2a"));
  DockerClient docker = ConnectTo(server);
  Status s = docker.RemoveContainer("web-1");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kConflict);
  CHECK(s.error().ToString() ==
        "host lab1: 409 Conflict: You cannot remove a running container 3f2a");
}

TEST_CASE("docker containers: kill sends the signal", "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/web-1/kill", NoContent());
  DockerClient docker = ConnectTo(server);
  CHECK(docker.KillContainer("web-1", "SIGHUP").ok());
  CHECK(server.Last("POST", "/v1.41/containers/web-1/kill")->target ==
        "/v1.41/containers/web-1/kill?signal=SIGHUP");
}

TEST_CASE("docker containers: inspect decodes state, networks and ports",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/containers/web-1/json", JsonResponse(R"({
    "Id": "3f2a", "Name": "/web-1", "Image": "sha256:beef", "Created": "2024-01-01T00:00:00Z",
    "RestartCount": 2,
    "Config": {"Image": "baton/busybox:lab", "Tty": true, "Labels": {"baton.project": "shop"}},
    "State": {"Status": "running", "Running": true, "Paused": false, "OOMKilled": false,
              "Pid": 4242, "ExitCode": 0, "Error": "", "StartedAt": "2024-01-01T00:00:01Z",
              "FinishedAt": "0001-01-01T00:00:00Z", "Health": {"Status": "healthy"}},
    "NetworkSettings": {
      "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}], "9000/tcp": null},
      "Networks": {"shop_default": {"NetworkID": "n1", "IPAddress": "172.18.0.2",
                                    "Aliases": ["web", "3f2a"]}}}})"));
  DockerClient docker = ConnectTo(server);
  Result<ContainerInfo> c = docker.InspectContainer("web-1");
  REQUIRE(c.ok());
  CHECK(c->id == "3f2a");
  CHECK(c->name == "web-1");
  CHECK(c->image == "baton/busybox:lab");
  CHECK(c->image_id == "sha256:beef");
  CHECK(c->labels == Labels{{"baton.project", "shop"}});
  CHECK(c->tty);
  CHECK(c->restart_count == 2);
  CHECK(c->state.status == "running");
  CHECK(c->state.running);
  CHECK(c->state.pid == 4242);
  CHECK(c->state.health == "healthy");
  REQUIRE(c->networks.contains("shop_default"));
  CHECK(c->networks["shop_default"].ip_address == "172.18.0.2");
  CHECK(c->networks["shop_default"].aliases == std::vector<std::string>{"web", "3f2a"});
  CHECK(c->ports == std::vector<PortBinding>{{"80/tcp", "0.0.0.0", "8080"}});
}

TEST_CASE("docker containers: inspecting a missing container is not found",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/containers/ghost/json",
            DockerError(404, "Not Found", "No such container: ghost"));
  DockerClient docker = ConnectTo(server);
  Result<ContainerInfo> c = docker.InspectContainer("ghost");
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().kind == Error::Kind::kNotFound);
  CHECK(c.error().ToString() == "host lab1: 404 Not Found: No such container: ghost");
}

TEST_CASE("docker containers: list sends all and label filters and decodes entries",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/containers/json", JsonResponse(R"json([
    {"Id": "3f2a", "Names": ["/web-1"], "Image": "baton/busybox:lab", "ImageID": "sha256:beef",
     "Command": "httpd -f", "Created": 1700000000, "State": "exited", "Status": "Exited (0)",
     "Labels": {"baton.project": "shop"}},
    {"Id": "4b3c", "Names": null, "Labels": null}])json"));
  DockerClient docker = ConnectTo(server);
  auto list = docker.ListContainers(true, {{"label", {"baton.project=shop"}}});
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].name == "web-1");
  CHECK((*list)[0].state == "exited");
  CHECK((*list)[0].created == 1700000000);
  CHECK((*list)[0].labels.at("baton.project") == "shop");
  CHECK((*list)[1].name.empty());
  CHECK(
      server.Last("GET", "/v1.41/containers/json")->target ==
      "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22baton.project%3Dshop%22%5D%7D");
}

TEST_CASE("docker containers: wait returns the exit code", "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/job/wait",
            JsonResponse(R"({"StatusCode": 3, "Error": null})"));
  DockerClient docker = ConnectTo(server);
  Result<std::int64_t> code = docker.WaitContainer("job", std::chrono::seconds(5));
  REQUIRE(code.ok());
  CHECK(*code == 3);
  CHECK(server.Last("POST", "/v1.41/containers/job/wait")->target ==
        "/v1.41/containers/job/wait?condition=not-running");
}

TEST_CASE("docker containers: a wait that outlives its timeout is unreachable",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  FakeResponse forever;
  forever.hang = true;
  server.On("POST", "/v1.41/containers/job/wait", forever);
  DockerClient docker = ConnectTo(server);
  Result<std::int64_t> code = docker.WaitContainer("job", std::chrono::milliseconds(200));
  REQUIRE_FALSE(code.ok());
  CHECK(code.error().kind == Error::Kind::kUnreachable);
}

TEST_CASE("docker containers: a failed wait reports docker's reason",
          "[runtime][docker][containers]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/job/wait",
            JsonResponse(R"({"StatusCode": -1, "Error": {"Message": "container removed"}})"));
  DockerClient docker = ConnectTo(server);
  Result<std::int64_t> code =
      docker.WaitContainer("job", std::chrono::seconds(5), WaitCondition::kRemoved);
  REQUIRE_FALSE(code.ok());
  CHECK(code.error().ToString() == "host lab1: container removed");
}

}  // namespace
}  // namespace baton::runtime
