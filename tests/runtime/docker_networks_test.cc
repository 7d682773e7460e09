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
using testing::JsonResponse;
using testing::LastBody;

TEST_CASE("docker networks: create sends the spec and returns the id",
          "[runtime][docker][networks]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/networks/create", JsonResponse(R"({"Id": "n1", "Warning": ""})"));
  DockerClient docker = ConnectTo(server);
  NetworkSpec spec;
  spec.name = "shop_default";
  spec.labels = {{"baton.project", "shop"}};
  spec.attachable = true;
  spec.subnet = "10.30.0.0/24";
  spec.gateway = "10.30.0.1";
  Result<std::string> id = docker.CreateNetwork(spec);
  REQUIRE(id.ok());
  CHECK(*id == "n1");
  CHECK(LastBody(server, "POST", "/v1.41/networks/create") == json::parse(R"({
    "Name": "shop_default", "Driver": "bridge", "Internal": false, "Attachable": true,
    "CheckDuplicate": true, "Labels": {"baton.project": "shop"},
    "IPAM": {"Driver": "default",
             "Config": [{"Subnet": "10.30.0.0/24", "Gateway": "10.30.0.1"}]}})"));
}

TEST_CASE("docker networks: create merges the raw json escape hatch last",
          "[runtime][docker][networks]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/networks/create", JsonResponse(R"({"Id": "n1", "Warning": ""})"));
  DockerClient docker = ConnectTo(server);
  NetworkSpec spec;
  spec.name = "shop_default";
  spec.subnet = "10.30.0.0/24";
  spec.extra = json::parse(R"({"EnableIPv6": true, "IPAM": {"Driver": "custom"}})");
  REQUIRE(docker.CreateNetwork(spec).ok());
  json body = LastBody(server, "POST", "/v1.41/networks/create");
  CHECK(body["EnableIPv6"] == true);
  CHECK(body["IPAM"] ==
        json::parse(R"({"Driver": "custom", "Config": [{"Subnet": "10.30.0.0/24"}]})"));
}

TEST_CASE("docker networks: a taken name is a conflict", "[runtime][docker][networks]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/networks/create",
            DockerError(409, "Conflict", "network with name shop_default already exists"));
  DockerClient docker = ConnectTo(server);
  NetworkSpec spec;
  spec.name = "shop_default";
  Result<std::string> id = docker.CreateNetwork(spec);
  REQUIRE_FALSE(id.ok());
  CHECK(id.error().kind == Error::Kind::kConflict);
  CHECK(id.error().ToString() ==
        "host lab1: 409 Conflict: network with name shop_default already exists");
}

TEST_CASE("docker networks: inspect decodes subnets and members", "[runtime][docker][networks]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/networks/shop_default", JsonResponse(R"({
    "Name": "shop_default", "Id": "n1", "Scope": "local", "Driver": "bridge", "Internal": false,
    "IPAM": {"Driver": "default", "Config": [{"Subnet": "172.18.0.0/16", "Gateway": "172.18.0.1"}]},
    "Containers": {"3f2a": {"Name": "web-1", "IPv4Address": "172.18.0.2/16"}},
    "Labels": {"baton.project": "shop"}})"));
  DockerClient docker = ConnectTo(server);
  Result<NetworkInfo> n = docker.InspectNetwork("shop_default");
  REQUIRE(n.ok());
  CHECK(n->id == "n1");
  CHECK(n->scope == "local");
  CHECK(n->subnets == std::vector<std::string>{"172.18.0.0/16"});
  REQUIRE(n->members.contains("3f2a"));
  CHECK(n->members["3f2a"].name == "web-1");
  CHECK(n->members["3f2a"].ipv4_address == "172.18.0.2/16");
  CHECK(n->labels.at("baton.project") == "shop");
}

TEST_CASE("docker networks: list passes filters and decodes each network",
          "[runtime][docker][networks]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/networks", JsonResponse(R"([
    {"Name": "bridge", "Id": "n0", "IPAM": {"Config": null}, "Containers": null, "Labels": null},
    {"Name": "shop_default", "Id": "n1"}])"));
  DockerClient docker = ConnectTo(server);
  auto list = docker.ListNetworks({{"label", {"baton.project"}}});
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[1].name == "shop_default");
  CHECK(server.Last("GET", "/v1.41/networks")->target ==
        "/v1.41/networks?filters=%7B%22label%22%3A%5B%22baton.project%22%5D%7D");
}

TEST_CASE("docker networks: removing a missing network succeeds", "[runtime][docker][networks]") {
  FakeDockerServer server;
  server.On("DELETE", "/v1.41/networks/gone",
            DockerError(404, "Not Found", "network gone not found"));
  DockerClient docker = ConnectTo(server);
  CHECK(docker.RemoveNetwork("gone").ok());
}

TEST_CASE("docker networks: removing a network in use is a conflict",
          "[runtime][docker][networks]") {
  FakeDockerServer server;
  server.On("DELETE", "/v1.41/networks/shop_default",
            DockerError(403, "Forbidden",
                        "error while removing network: network shop_default id n1 has active "
                        "endpoints"));
  DockerClient docker = ConnectTo(server);
  Status s = docker.RemoveNetwork("shop_default");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kConflict);
}

TEST_CASE("docker networks: connect and disconnect name the container",
          "[runtime][docker][networks]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/networks/shop_default/connect", JsonResponse(""));
  server.On("POST", "/v1.41/networks/shop_default/disconnect", JsonResponse(""));
  DockerClient docker = ConnectTo(server);
  EndpointSpec endpoint;
  endpoint.aliases = {"web"};
  REQUIRE(docker.ConnectNetwork("shop_default", "web-1", endpoint).ok());
  REQUIRE(docker.DisconnectNetwork("shop_default", "web-1", true).ok());
  CHECK(LastBody(server, "POST", "/v1.41/networks/shop_default/connect") ==
        json::parse(R"({"Container": "web-1", "EndpointConfig": {"Aliases": ["web"]}})"));
  CHECK(LastBody(server, "POST", "/v1.41/networks/shop_default/disconnect") ==
        json::parse(R"({"Container": "web-1", "Force": true})"));
}

}  // namespace
}  // namespace baton::runtime
