// DockerClient::BuildImage against a fake engine: the query as the classic
// builder takes it, the context as the body, the output stream.

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "content_fake.h"
#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using testing::ConnectTo;
using testing::FakeDockerServer;
using testing::FakeResponse;
using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr char kBuildPath[] = "/v1.41/build";

// The query of `target` as decoded (key, value) pairs, in order.
Pairs QueryPairs(const std::string& target) {
  auto decode = [](const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  };
  Pairs pairs;
  size_t start = target.find('?');
  while (start != std::string::npos) {
    size_t end = target.find('&', start + 1);
    std::string item = target.substr(start + 1, end == std::string::npos ? end : end - start - 1);
    size_t eq = item.find('=');
    pairs.emplace_back(item.substr(0, eq), decode(item.substr(eq + 1)));
    start = end;
  }
  return pairs;
}

FakeResponse Stream(std::vector<std::string> chunks) {
  FakeResponse r;
  r.chunks = std::move(chunks);
  return r;
}

const FakeResponse kBuilt = Stream({R"({"aux":{"ID":"sha256:b1"}})"
                                    "\n"});

TEST_CASE("docker build: the request is encoded as the classic builder takes it",
          "[runtime][docker][build]") {
  FakeDockerServer server;
  server.On("POST", kBuildPath, kBuilt);
  DockerClient docker = ConnectTo(server);
  BuildRequest request;
  request.dockerfile = "web/Dockerfile";
  request.args = {{"B", "x y"}, {"A", "1"}};
  request.labels = {{"baton.build-digest", "k1"}};
  request.target = "prod";
  request.network = "host";
  request.extra_hosts = {"db:10.0.0.2", "cache:10.0.0.3"};
  request.cache_from = {"app:1"};
  request.shm_size = 1024;
  request.no_cache = true;
  request.pull = true;
  testing::FakeTar context("context bytes");
  Result<std::string> id =
      docker.BuildImage(request, [&](std::span<char> b) { return context.Read(b); }, {});
  REQUIRE(id.ok());
  std::optional<testing::FakeRequest> sent = server.Last("POST", kBuildPath);
  REQUIRE(sent);
  CHECK(QueryPairs(sent->target) == Pairs{{"version", "1"},
                                          {"dockerfile", "web/Dockerfile"},
                                          {"buildargs", R"({"A":"1","B":"x y"})"},
                                          {"labels", R"({"baton.build-digest":"k1"})"},
                                          {"cachefrom", R"(["app:1"])"},
                                          {"target", "prod"},
                                          {"networkmode", "host"},
                                          {"extrahosts", "db:10.0.0.2"},
                                          {"extrahosts", "cache:10.0.0.3"},
                                          {"shmsize", "1024"},
                                          {"nocache", "1"},
                                          {"pull", "1"},
                                          {"rm", "1"},
                                          {"forcerm", "1"}});
  CHECK(sent->headers.at("content-type") == "application/x-tar");
  CHECK(sent->body == "context bytes");
}

TEST_CASE("docker build: a remote context sends no body", "[runtime][docker][build]") {
  FakeDockerServer server;
  server.On("POST", kBuildPath, kBuilt);
  DockerClient docker = ConnectTo(server);
  BuildRequest request;
  request.remote = "https://example.com/app.git";
  REQUIRE(docker.BuildImage(request, {}, {}).ok());
  std::optional<testing::FakeRequest> sent = server.Last("POST", kBuildPath);
  REQUIRE(sent);
  CHECK(QueryPairs(sent->target) == Pairs{{"version", "1"},
                                          {"remote", "https://example.com/app.git"},
                                          {"dockerfile", "Dockerfile"},
                                          {"rm", "1"},
                                          {"forcerm", "1"}});
  CHECK(sent->body.empty());
  CHECK_FALSE(sent->headers.contains("content-type"));
}

TEST_CASE("docker build: every message reaches the caller and aux gives the image id",
          "[runtime][docker][build]") {
  FakeDockerServer server;
  server.On("POST", kBuildPath,
            Stream({R"({"stream":"Step 1/2 : FROM busybox"})"
                    "\n"
                    R"({"stream":"\n"})"
                    "\n",
                    R"({"status":"Pulling fs layer","id":"l1"})"
                    "\n"
                    R"({"aux":{"ID":"sha256:b2"}})"
                    "\n"
                    R"({"stream":"Successfully built b2\n"})"
                    "\n"}));
  DockerClient docker = ConnectTo(server);
  std::vector<std::string> seen;
  Result<std::string> id = docker.BuildImage(
      BuildRequest{}, [](std::span<char>) { return Result<size_t>(size_t{0}); },
      [&](const BuildMessage& m) {
        seen.push_back(m.stream + "|" + m.status + "|" + m.id + "|" + m.aux_id);
      });
  REQUIRE(id.ok());
  CHECK(*id == "sha256:b2");
  CHECK(seen == std::vector<std::string>{"Step 1/2 : FROM busybox|||", "\n|||",
                                         "|Pulling fs layer|l1|", "|||sha256:b2",
                                         "Successfully built b2\n|||"});
}

TEST_CASE("docker build: an error inside the stream fails with the daemon's text",
          "[runtime][docker][build]") {
  FakeDockerServer server;
  server.On("POST", kBuildPath,
            Stream({R"({"stream":"Step 2/2 : RUN false\n"})"
                    "\n",
                    R"({"errorDetail":{"code":1,"message":"The command '/bin/sh -c false' )"
                    R"(returned a non-zero code: 1"},"error":"The command failed"})"
                    "\n"}));
  DockerClient docker = ConnectTo(server);
  Result<std::string> id = docker.BuildImage(
      BuildRequest{}, [](std::span<char>) { return Result<size_t>(size_t{0}); }, {});
  REQUIRE_FALSE(id.ok());
  CHECK(id.error().kind == Error::Kind::kInternal);
  CHECK(id.error().ToString() ==
        "host lab1: POST /build: The command '/bin/sh -c false' returned a non-zero code: 1");
}

TEST_CASE("docker build: a stream that ends without an image id fails",
          "[runtime][docker][build]") {
  FakeDockerServer server;
  server.On("POST", kBuildPath,
            Stream({R"({"stream":"Step 1/1 : FROM busybox\n"})"
                    "\n"}));
  DockerClient docker = ConnectTo(server);
  Result<std::string> id = docker.BuildImage(
      BuildRequest{}, [](std::span<char>) { return Result<size_t>(size_t{0}); }, {});
  REQUIRE_FALSE(id.ok());
  CHECK(id.error().ToString() == "host lab1: POST /build: the build ended without an image id");
}

}  // namespace
}  // namespace baton::runtime
