// DockerClient::GetArchive and UpdateRestartPolicy against a fake engine.

#include <catch2/catch.hpp>
#include <string>

#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using testing::ConnectTo;
using testing::FakeDockerServer;
using testing::FakeResponse;

constexpr char kArchivePath[] = "/v1.41/containers/baton-state-shop-3/archive";
constexpr char kUpdatePath[] = "/v1.41/containers/shop-web-1/update";

FakeResponse TarResponse(std::string body) {
  FakeResponse response;
  response.content_type = "application/x-tar";
  response.body = std::move(body);
  return response;
}

TEST_CASE("docker archive read: the tar of the path comes back as sent",
          "[runtime][docker][archive]") {
  FakeDockerServer server;
  server.On("GET", kArchivePath, TarResponse(std::string(3000, 't')));
  DockerClient docker = ConnectTo(server);
  Result<std::string> tar = docker.GetArchive("baton-state-shop-3", "/baton/desired.json");
  REQUIRE(tar.ok());
  CHECK(*tar == std::string(3000, 't'));
  std::optional<testing::FakeRequest> sent = server.Last("GET", kArchivePath);
  REQUIRE(sent);
  CHECK(sent->target == std::string(kArchivePath) + "?path=%2Fbaton%2Fdesired.json");
}

TEST_CASE("docker archive read: a missing file is not found", "[runtime][docker][archive]") {
  FakeDockerServer server;
  server.On("GET", kArchivePath,
            testing::DockerError(404, "Not Found",
                                 "Could not find the file /baton/desired.json in container x"));
  DockerClient docker = ConnectTo(server);
  Result<std::string> tar = docker.GetArchive("baton-state-shop-3", "/baton/desired.json");
  REQUIRE_FALSE(tar.ok());
  CHECK(tar.error().kind == Error::Kind::kNotFound);
}

TEST_CASE("docker archive read: an archive over the limit is invalid",
          "[runtime][docker][archive]") {
  FakeDockerServer server;
  FakeResponse chunked = TarResponse("");
  chunked.chunks = {std::string(600, 'a'), std::string(600, 'b')};
  server.On("GET", kArchivePath, chunked);
  DockerClient docker = ConnectTo(server);
  Result<std::string> tar = docker.GetArchive("baton-state-shop-3", "/baton/desired.json", 1000);
  REQUIRE_FALSE(tar.ok());
  CHECK(tar.error().kind == Error::Kind::kInvalid);
  CHECK(tar.error().ToString() ==
        "host lab1: GET /containers/baton-state-shop-3/archive: archive of /baton/desired.json "
        "exceeds 1000 bytes");
}

TEST_CASE("docker update: the restart policy is sent by name and retry count",
          "[runtime][docker][update]") {
  FakeDockerServer server;
  server.On("POST", kUpdatePath, testing::JsonResponse(R"({"Warnings":[]})"));
  DockerClient docker = ConnectTo(server);
  REQUIRE(docker.UpdateRestartPolicy("shop-web-1", "on-failure", 5).ok());
  nlohmann::json body = testing::LastBody(server, "POST", kUpdatePath);
  CHECK(body == nlohmann::json::parse(
                    R"({"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":5}})"));
}

TEST_CASE("docker update: a missing container is not found", "[runtime][docker][update]") {
  FakeDockerServer server;
  server.On("POST", kUpdatePath,
            testing::DockerError(404, "Not Found", "No such container: shop-web-1"));
  DockerClient docker = ConnectTo(server);
  Status s = docker.UpdateRestartPolicy("shop-web-1", "no");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kNotFound);
  CHECK(s.error().ToString() == "host lab1: 404 Not Found: No such container: shop-web-1");
}

}  // namespace
}  // namespace baton::runtime
