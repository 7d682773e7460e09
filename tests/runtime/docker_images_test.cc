#include <catch2/catch.hpp>

#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using testing::ConnectTo;
using testing::FakeDockerServer;
using testing::FakeResponse;
using testing::JsonResponse;

FakeResponse Progress(std::vector<std::string> lines) {
  FakeResponse r;
  r.chunks = std::move(lines);
  return r;
}

TEST_CASE("docker images: references split into name and tag", "[runtime][docker][images]") {
  auto split = [](const std::string& ref) {
    ImageReference r = SplitImageReference(ref);
    return r.name + " | " + r.tag;
  };
  CHECK(split("busybox") == "busybox | latest");
  CHECK(split("busybox:1.36") == "busybox | 1.36");
  CHECK(split("reg:5000/team/app") == "reg:5000/team/app | latest");
  CHECK(split("reg:5000/team/app:v2") == "reg:5000/team/app | v2");
  CHECK(split("app@sha256:abc") == "app@sha256:abc | ");
}

TEST_CASE("docker images: inspect decodes tags, size and labels", "[runtime][docker][images]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/images/baton%2Fbusybox%3Alab/json", JsonResponse(R"({
    "Id": "sha256:beef", "RepoTags": ["baton/busybox:lab"], "RepoDigests": null,
    "Created": "2024-01-01T00:00:00Z", "Os": "linux", "Architecture": "amd64", "Size": 4261550,
    "Config": {"Labels": {"org.baton.lab": "1"}}})"));
  DockerClient docker = ConnectTo(server);
  Result<ImageInfo> image = docker.InspectImage("baton/busybox:lab");
  REQUIRE(image.ok());
  CHECK(image->id == "sha256:beef");
  CHECK(image->repo_tags == std::vector<std::string>{"baton/busybox:lab"});
  CHECK(image->repo_digests.empty());
  CHECK(image->size_bytes == 4261550);
  CHECK(image->labels.at("org.baton.lab") == "1");
}

TEST_CASE("docker images: a missing image is not found", "[runtime][docker][images]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/images/nope/json",
            testing::DockerError(404, "Not Found", "No such image: nope:latest"));
  DockerClient docker = ConnectTo(server);
  Result<ImageInfo> image = docker.InspectImage("nope");
  REQUIRE_FALSE(image.ok());
  CHECK(image.error().kind == Error::Kind::kNotFound);
}

TEST_CASE("docker images: pull asks for the tag and reports progress",
          "[runtime][docker][images]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/images/create",
            Progress({"{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\r\n",
                      "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":512,"
                      "\"total\":2048},\"id\":\"a1b2\"}\r\n",
                      "{\"status\":\"Status: Downloaded newer image for busybox:latest\"}\r\n"}));
  DockerClient docker = ConnectTo(server);
  std::vector<PullProgress> seen;
  Status s = docker.PullImage("busybox", [&](const PullProgress& p) {
    seen.push_back(p);
    return true;
  });
  REQUIRE(s.ok());
  CHECK(server.Last("POST", "/v1.41/images/create")->target ==
        "/v1.41/images/create?fromImage=busybox&tag=latest");
  REQUIRE(seen.size() == 3);
  CHECK(seen[1].status == "Downloading");
  CHECK(seen[1].id == "a1b2");
  CHECK(seen[1].current == 512);
  CHECK(seen[1].total == 2048);
}

TEST_CASE("docker images: an error inside the pull stream fails the pull",
          "[runtime][docker][images]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/images/create",
            Progress({"{\"status\":\"Pulling fs layer\",\"id\":\"a1b2\"}\n",
                      "{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":\"unexpected "
                      "EOF\"}\n"}));
  DockerClient docker = ConnectTo(server);
  Status s = docker.PullImage("busybox:1.36");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kInternal);
  CHECK(s.error().ToString() == "host lab1: POST /images/create: unexpected EOF");
}

TEST_CASE("docker images: load uploads the tarball and returns the loaded names",
          "[runtime][docker][images]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/images/load",
            Progress({"{\"stream\":\"Loaded image: baton/busybox:lab\\n\"}\n",
                      "{\"stream\":\"Loaded image ID: sha256:beef\\n\"}\n"}));
  DockerClient docker = ConnectTo(server);
  std::string tar = "not really a tarball";
  bool done = false;
  Result<std::vector<std::string>> names =
      docker.LoadImages([&](std::span<char> buffer) -> Result<std::size_t> {
        if (done) return std::size_t{0};
        done = true;
        std::copy(tar.begin(), tar.end(), buffer.begin());
        return tar.size();
      });
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"baton/busybox:lab", "sha256:beef"});
  auto request = server.Last("POST", "/v1.41/images/load");
  CHECK(request->target == "/v1.41/images/load?quiet=1");
  CHECK(request->body == tar);
  CHECK(request->headers["content-type"] == "application/x-tar");
}

TEST_CASE("docker images: a load the engine rejects in-stream fails", "[runtime][docker][images]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/images/load",
            Progress({"{\"errorDetail\":{\"message\":\"archive/tar: invalid tar header\"},"
                      "\"error\":\"archive/tar: invalid tar header\"}\n"}));
  DockerClient docker = ConnectTo(server);
  auto names =
      docker.LoadImages([](std::span<char>) -> Result<std::size_t> { return std::size_t{0}; });
  REQUIRE_FALSE(names.ok());
  CHECK(names.error().ToString() ==
        "host lab1: POST /images/load: archive/tar: invalid tar header");
}

TEST_CASE("docker images: save streams the tarball to the writer", "[runtime][docker][images]") {
  FakeDockerServer server;
  FakeResponse tar;
  tar.content_type = "application/x-tar";
  tar.chunks = {"part-one|", "part-two"};
  server.On("GET", "/v1.41/images/get", tar);
  DockerClient docker = ConnectTo(server);
  std::string written;
  Status s = docker.SaveImages({"baton/busybox:lab", "busybox"}, [&](std::string_view data) {
    written += data;
    return Status::Ok();
  });
  REQUIRE(s.ok());
  CHECK(written == "part-one|part-two");
  CHECK(server.Last("GET", "/v1.41/images/get")->target ==
        "/v1.41/images/get?names=baton%2Fbusybox%3Alab&names=busybox");
}

TEST_CASE("docker images: a failing writer ends the save with its error",
          "[runtime][docker][images]") {
  FakeDockerServer server;
  FakeResponse tar;
  tar.chunks = {"part-one|", "part-two"};
  server.On("GET", "/v1.41/images/get", tar);
  DockerClient docker = ConnectTo(server);
  Status s = docker.SaveImages({"busybox"}, [](std::string_view) -> Status {
    return Error::Invalid("/tmp/out.tar", "no space left on device");
  });
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "/tmp/out.tar: no space left on device");
}

}  // namespace
}  // namespace baton::runtime
