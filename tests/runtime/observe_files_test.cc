// ObserveProject's reading of copies of local files (runtime/file_copy.h)
// and of the copies each replica mounts.

#include <catch2/catch.hpp>
#include <string>

#include "docker_server_fake.h"
#include "runtime/observe.h"

namespace baton::runtime {
namespace {

using planner::FileCopyState;
using planner::HostState;
using testing::FakeDockerServer;
using testing::JsonResponse;

HostPool PoolOf(const FakeDockerServer& server) {
  transport::HostConfig host;
  host.name = "lab1";
  host.socket = server.socket_path();
  transport::SshOptions ssh;
  ssh.connect_timeout = std::chrono::milliseconds(500);
  return HostPool::Open({host}, ssh, std::chrono::seconds(5));
}

// Copies "aa" (complete), "bb" (volume only), "cc" (marker only), one of
// another project, a helper left by an interrupted upload of "bb", and one
// replica that mounts "aa". The fake answers every list alike whatever the
// filter; the observer must sort them out by their labels.
void ServeCopies(FakeDockerServer& server) {
  server.On("GET", "/v1.41/info", JsonResponse(R"({"Name": "lab1", "OSType": "linux"})"));
  server.On("GET", "/v1.41/networks", JsonResponse("[]"));
  server.On("GET", "/v1.41/volumes", JsonResponse(R"({"Volumes": [
    {"Name": "baton-files-shop-aa", "Labels": {"baton.files-project": "shop",
     "baton.files-digest": "aa", "baton.files-role": "content"}},
    {"Name": "baton-files-shop-aa.ok", "Labels": {"baton.files-project": "shop",
     "baton.files-digest": "aa", "baton.files-role": "complete"}},
    {"Name": "baton-files-shop-bb", "Labels": {"baton.files-project": "shop",
     "baton.files-digest": "bb", "baton.files-role": "content"}},
    {"Name": "baton-files-shop-cc.ok", "Labels": {"baton.files-project": "shop",
     "baton.files-digest": "cc", "baton.files-role": "complete"}},
    {"Name": "baton-files-blog-dd", "Labels": {"baton.files-project": "blog",
     "baton.files-digest": "dd", "baton.files-role": "content"}}]})"));
  server.On("GET", "/v1.41/containers/json", JsonResponse(R"([
    {"Id": "h1", "Names": ["/baton-upload-shop-bb"], "State": "created",
     "Labels": {"baton.files-project": "shop", "baton.files-digest": "bb",
                "baton.files-role": "upload"}},
    {"Id": "w1", "Names": ["/shop-web-1"], "State": "running",
     "Labels": {"com.docker.compose.project": "shop"}}])"));
  server.On("GET", "/v1.41/containers/w1/json", JsonResponse(R"({
    "Id": "w1", "Name": "/shop-web-1", "Config": {"Labels": {
      "com.docker.compose.project": "shop", "com.docker.compose.service": "web",
      "baton.slot": "1", "baton.files": "[\"aa\"]"}},
    "State": {"Status": "running", "Running": true}})"));
}

TEST_CASE("observe: copies are complete only with both volume and marker",
          "[runtime][observe][file-copy]") {
  FakeDockerServer server;
  ServeCopies(server);
  HostPool pool = PoolOf(server);
  const HostState host = ObserveProjectByName("shop", pool).hosts.at(0);
  REQUIRE(host.reachable);
  REQUIRE(host.file_copies.size() == 3);
  CHECK(host.file_copies.at("aa").complete);
  CHECK_FALSE(host.file_copies.at("bb").complete);
  CHECK_FALSE(host.file_copies.at("cc").complete);
}

TEST_CASE("observe: a leftover upload helper is recorded on its copy",
          "[runtime][observe][file-copy]") {
  FakeDockerServer server;
  ServeCopies(server);
  HostPool pool = PoolOf(server);
  const HostState host = ObserveProjectByName("shop", pool).hosts.at(0);
  CHECK(host.file_copies.at("bb").helper);
  CHECK_FALSE(host.file_copies.at("aa").helper);
}

TEST_CASE("observe: a replica's copies come from its baton.files label",
          "[runtime][observe][file-copy]") {
  FakeDockerServer server;
  ServeCopies(server);
  HostPool pool = PoolOf(server);
  const HostState host = ObserveProjectByName("shop", pool).hosts.at(0);
  REQUIRE(host.containers.size() == 1);
  CHECK(host.containers[0].file_copies == std::vector<std::string>{"aa"});
}

TEST_CASE("observe: copies are listed by the project's files label",
          "[runtime][observe][file-copy]") {
  FakeDockerServer server;
  ServeCopies(server);
  HostPool pool = PoolOf(server);
  (void)ObserveProjectByName("shop", pool);
  std::string filter = "filters=%7B%22label%22%3A%5B%22baton.files-project%3Dshop%22%5D%7D";
  bool volumes = false, containers = false;
  for (const testing::FakeRequest& r : server.requests()) {
    volumes = volumes || r.target == "/v1.41/volumes?" + filter;
    containers = containers || r.target == "/v1.41/containers/json?all=1&" + filter;
  }
  CHECK(volumes);
  CHECK(containers);
}

}  // namespace
}  // namespace baton::runtime
