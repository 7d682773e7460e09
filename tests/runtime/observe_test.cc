#include "runtime/observe.h"

#include <catch2/catch.hpp>

#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using planner::ActualContainer;
using planner::ActualState;
using planner::HostState;
using testing::DockerError;
using testing::FakeDockerServer;
using testing::JsonResponse;

transport::HostConfig LocalHost(const std::string& name, const std::string& socket) {
  transport::HostConfig host;
  host.name = name;
  host.socket = socket;
  host.labels = {{"zone", "a"}};
  return host;
}

HostPool PoolOf(const std::vector<transport::HostConfig>& hosts) {
  transport::SshOptions ssh;
  ssh.connect_timeout = std::chrono::milliseconds(500);
  return HostPool::Open(hosts, ssh, std::chrono::seconds(5));
}

// The fake answers every list the same whatever its filters, as an engine
// holding these containers would for a filter that matched them all; the
// observer must sort them out by their labels.
constexpr char kContainers[] = R"([
  {"Id": "b2", "Names": ["/shop-web-2"], "State": "exited", "Status": "Exited (3) 1 minute ago",
   "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "web",
              "com.docker.compose.container-number": "2"}},
  {"Id": "a1", "Names": ["/shop-web-1"], "State": "running", "Status": "Up 2 minutes",
   "Labels": {"com.docker.compose.project": "shop"}},
  {"Id": "c3", "Names": ["/blog-app-1"], "State": "running", "Status": "Up 1 hour",
   "Labels": {"com.docker.compose.project": "blog", "baton.managed": "true",
              "baton.reserved-cpus": "0.5", "baton.reserved-memory": "1048576"},
   "Ports": [{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
             {"IP": "::", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
             {"PrivatePort": 9000, "Type": "tcp"}]},
  {"Id": "d4", "Names": ["/redis"], "State": "running", "Status": "Up 1 hour", "Labels": {},
   "Ports": [{"IP": "127.0.0.1", "PrivatePort": 53, "PublicPort": 5353, "Type": "udp"}]},
  {"Id": "e5", "Names": ["/blog-old-1"], "State": "exited", "Status": "Exited (0) 1 hour ago",
   "Labels": {"com.docker.compose.project": "blog", "baton.reserved-cpus": "2"}}
])";

constexpr char kWeb1[] = R"({
  "Id": "a1", "Name": "/shop-web-1", "Image": "sha256:abc", "Created": "2024-05-01T10:00:00Z",
  "Config": {"Image": "baton/busybox:lab", "Labels": {
    "com.docker.compose.project": "shop", "com.docker.compose.service": "web",
    "com.docker.compose.container-number": "1", "baton.slot": "1",
    "baton.spec-hash": "f00d", "baton.spec-parts": "{\"environment\":\"1a2b\",\"image\":\"3c4d\"}"}},
  "State": {"Status": "running", "Running": true, "ExitCode": 0,
            "StartedAt": "2024-05-01T10:00:01Z", "Health": {"Status": "healthy"}},
  "NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8081"},
                                           {"HostIp": "::", "HostPort": "8081"}],
                                "9000/tcp": null}}})";

constexpr char kWeb2[] = R"({
  "Id": "b2", "Name": "/shop-web-2", "Created": "2024-05-01T09:00:00Z",
  "Config": {"Image": "baton/busybox:lab", "Labels": {
    "com.docker.compose.project": "shop", "com.docker.compose.service": "web",
    "com.docker.compose.container-number": "2", "baton.spec-parts": "not json"}},
  "State": {"Status": "exited", "ExitCode": 3, "StartedAt": "0001-01-01T00:00:00Z"}})";

// An engine with two containers of project "shop" (one running and
// healthy, one exited), containers of other projects, the project's network
// and volume, and the busybox image.
void ServeShop(FakeDockerServer& server) {
  server.On("GET", "/v1.41/info", JsonResponse(R"({"Name": "lab1-engine", "OSType": "linux",
      "Architecture": "x86_64", "NCPU": 4, "MemTotal": 8589934592})"));
  server.On("GET", "/v1.41/containers/json", JsonResponse(kContainers));
  server.On("GET", "/v1.41/containers/a1/json", JsonResponse(kWeb1));
  server.On("GET", "/v1.41/containers/b2/json", JsonResponse(kWeb2));
  server.On("GET", "/v1.41/networks", JsonResponse(R"([
      {"Name": "shop_default", "Labels": {"com.docker.compose.project": "shop"}},
      {"Name": "blog_default", "Labels": {"com.docker.compose.project": "blog"}}])"));
  server.On("GET", "/v1.41/volumes", JsonResponse(R"({"Volumes": [
      {"Name": "shop_data", "Labels": {"com.docker.compose.project": "shop"}}]})"));
  server.On("GET", "/v1.41/images/baton%2Fbusybox%3Alab/json", JsonResponse(R"({"Id": "sha256:1"})"));
  server.On("GET", "/v1.41/images/postgres%3A16/json",
            DockerError(404, "Not Found", "No such image: postgres:16"));
}

planner::DesiredState ShopDesired() {
  planner::DesiredState desired;
  desired.project = "shop";
  desired.services.resize(3);
  desired.services[0].name = "db";
  desired.services[0].service.image = "postgres:16";
  desired.services[1].name = "web";
  desired.services[1].service.image = "baton/busybox:lab";
  desired.services[2].name = "worker";
  desired.services[2].service.image = "baton/busybox:lab";
  return desired;
}

TEST_CASE("observe: a host's engine facts and hosts-file labels", "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  ActualState actual = ObserveProject(ShopDesired(), pool);
  CHECK(actual.project == "shop");
  REQUIRE(actual.hosts.size() == 1);
  const HostState& host = actual.hosts[0];
  CHECK(host.name == "lab1");
  CHECK(host.reachable);
  CHECK(host.error == "");
  CHECK(host.labels == std::map<std::string, std::string>{{"zone", "a"}});
  CHECK(host.hostname == "lab1-engine");
  CHECK(host.os == "linux");
  CHECK(host.arch == "x86_64");
  CHECK(host.cpus == 4);
  CHECK(host.memory == 8589934592);
}

TEST_CASE("observe: the project's containers, sorted by name, from their inspection",
          "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  const HostState host = ObserveProject(ShopDesired(), pool).hosts.at(0);
  REQUIRE(host.containers.size() == 2);
  const ActualContainer& web1 = host.containers[0];
  CHECK(web1.id == "a1");
  CHECK(web1.name == "shop-web-1");
  CHECK(web1.service == "web");
  CHECK(web1.slot == 1);
  CHECK(web1.spec_hash == "f00d");
  CHECK(web1.part_hashes == std::map<std::string, std::string>{{"environment", "1a2b"},
                                                                {"image", "3c4d"}});
  CHECK(web1.state == "running");
  CHECK(web1.running());
  CHECK(web1.health == "healthy");
  CHECK(web1.created == "2024-05-01T10:00:00Z");
  CHECK(web1.started_at == "2024-05-01T10:00:01Z");
  CHECK(web1.image == "baton/busybox:lab");
  CHECK(web1.ports == std::vector<std::string>{"0.0.0.0:8081->80/tcp", "[::]:8081->80/tcp"});
}

TEST_CASE("observe: a container without baton's labels falls back on compose's",
          "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  const HostState host = ObserveProject(ShopDesired(), pool).hosts.at(0);
  REQUIRE(host.containers.size() == 2);
  const ActualContainer& web2 = host.containers[1];
  CHECK(web2.name == "shop-web-2");
  CHECK(web2.slot == 2);           // from the container number
  CHECK(web2.spec_hash == "");     // never matches a desired hash
  CHECK(web2.part_hashes.empty());  // an unreadable spec-parts label
  CHECK(web2.state == "exited");
  CHECK(web2.exit_code == 3);
  CHECK(web2.health == "");
  CHECK(web2.started_at == "");  // never started
}

TEST_CASE("observe: a container removed between list and inspect is left out",
          "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  server.On("GET", "/v1.41/containers/b2/json",
            DockerError(404, "Not Found", "No such container: b2"));
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  const HostState host = ObserveProject(ShopDesired(), pool).hosts.at(0);
  CHECK(host.reachable);
  REQUIRE(host.containers.size() == 1);
  CHECK(host.containers[0].name == "shop-web-1");
}

TEST_CASE(
    "observe: the lists ask the engine for the project's containers, upload helpers and netd only",
    "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  (void)ObserveProject(ShopDesired(), pool);
  std::vector<std::string> lists;
  for (const testing::FakeRequest& request : server.requests())
    if (request.path == "/v1.41/containers/json") lists.push_back(request.target);
  CHECK(lists == std::vector<std::string>{
                     "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22com.docker."
                     "compose.project%3Dshop%22%5D%7D",
                     "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22baton.files-"
                     "project%3Dshop%22%5D%7D",
                     "/v1.41/containers/json",
                     "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22baton.role%3D"
                     "netd%22%5D%7D"});
}

TEST_CASE("observe: other running containers count as reserved and their ports as used",
          "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  const HostState host = ObserveProject(ShopDesired(), pool).hosts.at(0);
  CHECK(host.reserved_cpus_elsewhere == 0.5);  // the exited blog-old-1 reserves nothing
  CHECK(host.reserved_memory_elsewhere == 1048576);
  using Port = std::pair<std::string, uint32_t>;
  CHECK(host.ports_used_elsewhere == std::set<Port>{{"tcp", 8080}, {"udp", 5353}});
}

TEST_CASE("observe: the project's networks and volumes by engine name", "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  const HostState host = ObserveProject(ShopDesired(), pool).hosts.at(0);
  CHECK(host.networks == std::set<std::string>{"shop_default"});
  CHECK(host.volumes == std::set<std::string>{"shop_data"});
}

TEST_CASE("observe: each desired image is looked up once, a missing one is absent",
          "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  const HostState host = ObserveProject(ShopDesired(), pool).hosts.at(0);
  CHECK(host.reachable);
  CHECK(host.images == std::set<std::string>{"baton/busybox:lab"});
  int lookups = 0;
  for (const testing::FakeRequest& request : server.requests())
    lookups += request.path.starts_with("/v1.41/images/") ? 1 : 0;
  CHECK(lookups == 2);
}

TEST_CASE("observe: by name reads the project and looks up no image", "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  ActualState actual = ObserveProjectByName("shop", pool);
  REQUIRE(actual.hosts.size() == 1);
  CHECK(actual.hosts[0].containers.size() == 2);
  CHECK(actual.hosts[0].images.empty());
  for (const testing::FakeRequest& request : server.requests())
    CHECK_FALSE(request.path.starts_with("/v1.41/images/"));
}

TEST_CASE("observe: a host whose reading fails is unreachable with nothing half read",
          "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  server.On("GET", "/v1.41/volumes", DockerError(500, "Internal Server Error", "disk on fire"));
  HostPool pool = PoolOf({LocalHost("lab1", server.socket_path())});
  const HostState host = ObserveProject(ShopDesired(), pool).hosts.at(0);
  CHECK_FALSE(host.reachable);
  CHECK(host.error == "host lab1: list volumes: 500 Internal Server Error: disk on fire");
  CHECK(host.containers.empty());
  CHECK(host.networks.empty());
  CHECK(host.hostname == "");
  CHECK(host.labels == std::map<std::string, std::string>{{"zone", "a"}});
}

TEST_CASE("observe: an unreachable host is reported in its place with its error",
          "[runtime][observe]") {
  FakeDockerServer server;
  ServeShop(server);
  HostPool pool = PoolOf({LocalHost("lab0", "/nonexistent/docker.sock"),
                          LocalHost("lab1", server.socket_path())});
  ActualState actual = ObserveProject(ShopDesired(), pool);
  REQUIRE(actual.hosts.size() == 2);
  CHECK(actual.hosts[0].name == "lab0");
  CHECK_FALSE(actual.hosts[0].reachable);
  CHECK(actual.hosts[0].error == pool.hosts()[0].error->ToString());
  CHECK(actual.hosts[0].error.starts_with("host lab0: "));
  CHECK(actual.hosts[1].name == "lab1");
  CHECK(actual.hosts[1].reachable);
}

}  // namespace
}  // namespace baton::runtime
