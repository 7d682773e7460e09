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

const char* kVolume = R"({"Name": "shop_data", "Driver": "local", "Scope": "local",
  "Mountpoint": "/var/lib/docker/volumes/shop_data/_data", "CreatedAt": "2024-01-01T00:00:00Z",
  "Labels": {"baton.project": "shop"}, "Options": null})";

TEST_CASE("docker volumes: create sends the spec and decodes the volume",
          "[runtime][docker][volumes]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/volumes/create", JsonResponse(kVolume));
  DockerClient docker = ConnectTo(server);
  VolumeSpec spec;
  spec.name = "shop_data";
  spec.labels = {{"baton.project", "shop"}};
  spec.driver_options = {{"type", "tmpfs"}};
  Result<VolumeInfo> v = docker.CreateVolume(spec);
  REQUIRE(v.ok());
  CHECK(v->name == "shop_data");
  CHECK(v->mountpoint == "/var/lib/docker/volumes/shop_data/_data");
  CHECK(v->labels.at("baton.project") == "shop");
  CHECK(v->options.empty());
  CHECK(LastBody(server, "POST", "/v1.41/volumes/create") == json::parse(R"({
    "Name": "shop_data", "Driver": "local", "Labels": {"baton.project": "shop"},
    "DriverOpts": {"type": "tmpfs"}})"));
}

TEST_CASE("docker volumes: inspect and list decode volumes", "[runtime][docker][volumes]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/volumes/shop_data", JsonResponse(kVolume));
  server.On("GET", "/v1.41/volumes",
            JsonResponse(std::string(R"({"Warnings": null, "Volumes": [)") + kVolume + "]}"));
  DockerClient docker = ConnectTo(server);
  Result<VolumeInfo> one = docker.InspectVolume("shop_data");
  REQUIRE(one.ok());
  CHECK(one->created_at == "2024-01-01T00:00:00Z");
  auto all = docker.ListVolumes({{"label", {"baton.project=shop"}}});
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  CHECK((*all)[0].name == "shop_data");
}

TEST_CASE("docker volumes: an empty list may come as null", "[runtime][docker][volumes]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/volumes", JsonResponse(R"({"Volumes": null, "Warnings": null})"));
  DockerClient docker = ConnectTo(server);
  auto all = docker.ListVolumes();
  REQUIRE(all.ok());
  CHECK(all->empty());
}

TEST_CASE("docker volumes: removing a missing volume succeeds", "[runtime][docker][volumes]") {
  FakeDockerServer server;
  server.On("DELETE", "/v1.41/volumes/gone", DockerError(404, "Not Found", "no such volume"));
  DockerClient docker = ConnectTo(server);
  CHECK(docker.RemoveVolume("gone").ok());
}

TEST_CASE("docker volumes: removing a volume in use is a conflict", "[runtime][docker][volumes]") {
  FakeDockerServer server;
  server.On("DELETE", "/v1.41/volumes/shop_data",
            DockerError(409, "Conflict", "remove shop_data: volume is in use - [3f2a]"));
  DockerClient docker = ConnectTo(server);
  Status s = docker.RemoveVolume("shop_data", true);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kConflict);
  CHECK(s.error().ToString() ==
        "host lab1: 409 Conflict: remove shop_data: volume is in use - [3f2a]");
  CHECK(server.Last("DELETE", "/v1.41/volumes/shop_data")->target ==
        "/v1.41/volumes/shop_data?force=1");
}

}  // namespace
}  // namespace baton::runtime
