// DockerClient::PutArchive against a fake engine.

#include <catch2/catch.hpp>
#include <string>

#include "content_fake.h"
#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using testing::ConnectTo;
using testing::FakeDockerServer;
using testing::FakeResponse;

constexpr char kArchivePath[] = "/v1.41/containers/baton-upload-1/archive";

Status Put(DockerClient& docker, const std::string& data) {
  testing::FakeTar tar(data, Status::Ok(), 3);
  return docker.PutArchive("baton-upload-1", "/copy",
                           [&](std::span<char> buffer) { return tar.Read(buffer); });
}

TEST_CASE("docker archive: the tar is streamed under the path, never with copyUIDGID",
          "[runtime][docker][archive]") {
  FakeDockerServer server;
  FakeResponse ok;
  ok.body = "";
  server.On("PUT", kArchivePath, ok);
  DockerClient docker = ConnectTo(server);
  REQUIRE(Put(docker, "tar bytes in small pieces").ok());
  std::optional<testing::FakeRequest> sent = server.Last("PUT", kArchivePath);
  REQUIRE(sent);
  CHECK(sent->target == std::string(kArchivePath) + "?path=%2Fcopy&noOverwriteDirNonDir=1");
  CHECK(sent->headers.at("content-type") == "application/x-tar");
  CHECK(sent->body == "tar bytes in small pieces");
}

TEST_CASE("docker archive: a read-only target is a conflict", "[runtime][docker][archive]") {
  FakeDockerServer server;
  server.On("PUT", kArchivePath,
            testing::DockerError(403, "Forbidden", "container rootfs is marked read-only"));
  DockerClient docker = ConnectTo(server);
  Status s = Put(docker, "x");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kConflict);
  CHECK(s.error().ToString() == "host lab1: 403 Forbidden: container rootfs is marked read-only");
}

TEST_CASE("docker archive: a missing path is not found", "[runtime][docker][archive]") {
  FakeDockerServer server;
  server.On("PUT", kArchivePath,
            testing::DockerError(404, "Not Found", "Could not find the file /copy in container"));
  DockerClient docker = ConnectTo(server);
  Status s = Put(docker, "x");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kNotFound);
}

}  // namespace
}  // namespace baton::runtime
