#include "runtime/docker_client.h"

#include <catch2/catch.hpp>

#include "docker_client_fixture.h"
#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using testing::ConnectTo;
using testing::FakeDockerServer;
using testing::FakeResponse;
using testing::JsonResponse;

FakeResponse Version(const std::string& engine, const std::string& api, const std::string& min) {
  return JsonResponse(
      nlohmann::json{{"Version", engine}, {"ApiVersion", api}, {"MinAPIVersion", min}}.dump());
}

TEST_CASE("docker client: connect settles on the engine's api and uses it for every call",
          "[runtime][docker][client]") {
  FakeDockerServer server("1.41");
  server.On("GET", "/v1.41/info", JsonResponse("{}"));
  DockerClient docker = ConnectTo(server);
  CHECK(docker.api_version() == ApiVersion{1, 41});
  CHECK(docker.engine_version().version == "20.10.24");
  REQUIRE(docker.Info().ok());
  std::vector<testing::FakeRequest> seen = server.requests();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].target == "/_ping");
  CHECK(seen[1].target == "/version");
  CHECK(seen[2].target == "/v1.41/info");
}

TEST_CASE("docker client: a newer engine is spoken to at baton's newest api",
          "[runtime][docker][client]") {
  FakeDockerServer server("1.47", "1.24");
  DockerClient docker = ConnectTo(server);
  CHECK(docker.api_version() == kNewestApi);
  CHECK(docker.api_version().ToString() == "1.44");
}

TEST_CASE("docker client: an engine older than docker 20.10 is refused",
          "[runtime][docker][client]") {
  FakeDockerServer server;
  server.On("GET", "/version", Version("19.03.15", "1.40", "1.12"));
  Result<DockerClient> docker = DockerClient::Connect(server.Options());
  REQUIRE_FALSE(docker.ok());
  CHECK(docker.error().kind == Error::Kind::kInvalid);
  CHECK(docker.error().ToString() ==
        "host lab1: docker 19.03.15 speaks api 1.40, but baton needs api 1.41 (docker 20.10) or "
        "newer");
}

TEST_CASE("docker client: an engine that dropped baton's api is refused",
          "[runtime][docker][client]") {
  FakeDockerServer server;
  server.On("GET", "/version", Version("40.0.0", "1.60", "1.50"));
  Result<DockerClient> docker = DockerClient::Connect(server.Options());
  REQUIRE_FALSE(docker.ok());
  CHECK(docker.error().kind == Error::Kind::kInvalid);
  CHECK(docker.error().ToString() ==
        "host lab1: docker 40.0.0 accepts api 1.50 and newer, but baton speaks api 1.44 at most");
}

TEST_CASE("docker client: an unreadable api version is refused", "[runtime][docker][client]") {
  FakeDockerServer server;
  server.On("GET", "/version", Version("20.10.24", "one.forty", ""));
  Result<DockerClient> docker = DockerClient::Connect(server.Options());
  REQUIRE_FALSE(docker.ok());
  CHECK(docker.error().ToString() ==
        "host lab1: docker reports an unreadable api version \"one.forty\"");
}

TEST_CASE("docker client: connecting to a dead socket is unreachable",
          "[runtime][docker][client]") {
  DockerOptions options;
  options.host = "lab2";
  options.socket_path = "/tmp/baton-no-such-dir/docker.sock";
  Result<DockerClient> docker = DockerClient::Connect(options);
  REQUIRE_FALSE(docker.ok());
  CHECK(docker.error().kind == Error::Kind::kUnreachable);
  CHECK(docker.error().where == "host lab2");
}

TEST_CASE("docker client: a socket that is not docker fails the ping",
          "[runtime][docker][client]") {
  FakeDockerServer server;
  server.On("GET", "/_ping", testing::DockerError(404, "Not Found", "page not found"));
  Result<DockerClient> docker = DockerClient::Connect(server.Options());
  REQUIRE_FALSE(docker.ok());
  CHECK(docker.error().kind == Error::Kind::kNotFound);
  CHECK(docker.error().ToString() == "host lab1: GET /_ping: 404 Not Found: page not found");
}

TEST_CASE("docker client: a malformed version answer names the call", "[runtime][docker][client]") {
  FakeDockerServer server;
  server.On("GET", "/version", JsonResponse("{\"ApiVersion\": "));
  Result<DockerClient> docker = DockerClient::Connect(server.Options());
  REQUIRE_FALSE(docker.ok());
  CHECK(docker.error().kind == Error::Kind::kInternal);
  CHECK(docker.error().ToString() ==
        "host lab1: GET /version: malformed response: [json.exception.parse_error.101] parse "
        "error at line 1, column 16: syntax error while parsing value - unexpected end of input; "
        "expected '[', '{', or a literal");
}

TEST_CASE("docker client: info reads the figures hosts check shows", "[runtime][docker][client]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/info", JsonResponse(R"json({
    "Name": "lab1", "ServerVersion": "20.10.24",
    "OperatingSystem": "Debian GNU/Linux 12 (bookworm)", "OSType": "linux",
    "Architecture": "x86_64", "KernelVersion": "6.1.0", "NCPU": 4,
    "MemTotal": 8341110784, "Containers": 5, "ContainersRunning": 3, "ContainersPaused": 0,
    "ContainersStopped": 2, "Images": 7, "DockerRootDir": "/var/lib/docker",
    "Labels": null})json"));
  DockerClient docker = ConnectTo(server);
  Result<SystemInfo> info = docker.Info();
  REQUIRE(info.ok());
  CHECK(info->name == "lab1");
  CHECK(info->server_version == "20.10.24");
  CHECK(info->operating_system == "Debian GNU/Linux 12 (bookworm)");
  CHECK(info->os_type == "linux");
  CHECK(info->architecture == "x86_64");
  CHECK(info->cpus == 4);
  CHECK(info->memory_bytes == 8341110784);
  CHECK(info->containers == 5);
  CHECK(info->containers_running == 3);
  CHECK(info->containers_stopped == 2);
  CHECK(info->images == 7);
  CHECK(info->raw["DockerRootDir"] == "/var/lib/docker");
}

TEST_CASE("docker client: a field of the wrong type is a malformed response",
          "[runtime][docker][client]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/info", JsonResponse(R"({"NCPU": "four"})"));
  DockerClient docker = ConnectTo(server);
  Result<SystemInfo> info = docker.Info();
  REQUIRE_FALSE(info.ok());
  CHECK(info.error().kind == Error::Kind::kInternal);
  CHECK(info.error().ToString() ==
        "host lab1: GET /info: malformed response: [json.exception.type_error.302] type must be "
        "number, but is string");
}

TEST_CASE("docker client: an answer of the wrong shape is a malformed response",
          "[runtime][docker][client]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/containers/json", JsonResponse(R"({"Id": "abc"})"));
  DockerClient docker = ConnectTo(server);
  auto list = docker.ListContainers();
  REQUIRE_FALSE(list.ok());
  CHECK(list.error().ToString() ==
        "host lab1: GET /containers/json: malformed response: expected an array, got object");
}

TEST_CASE("docker client: ping and version work after connecting", "[runtime][docker][client]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/version", Version("20.10.24", "1.41", "1.12"));
  DockerClient docker = ConnectTo(server);
  CHECK(docker.Ping().ok());
  Result<VersionInfo> version = docker.Version();
  REQUIRE(version.ok());
  CHECK(version->api_version == "1.41");
  CHECK(version->min_api_version == "1.12");
}

TEST_CASE("docker client: api versions parse and compare numerically",
          "[runtime][docker][client]") {
  CHECK(ApiVersion::Parse("1.41") == ApiVersion{1, 41});
  CHECK(ApiVersion::Parse("1.9") < ApiVersion::Parse("1.41"));
  CHECK_FALSE(ApiVersion::Parse("1."));
  CHECK_FALSE(ApiVersion::Parse("1.41x"));
  CHECK_FALSE(ApiVersion::Parse(""));
  CHECK_FALSE(ApiVersion::Parse("-1.2"));
}

}  // namespace
}  // namespace baton::runtime
