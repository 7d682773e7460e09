// ObserveProject's cluster networking facts: the project's spanned networks
// and their slices, the slices other projects hold on the host, and the
// host's netd container.

#include <catch2/catch.hpp>

#include "docker_server_fake.h"
#include "runtime/observe.h"

namespace baton::runtime {
namespace {

using planner::HostState;
using testing::FakeDockerServer;
using testing::JsonResponse;

HostPool PoolOf(const std::string& socket) {
  transport::HostConfig host;
  host.name = "lab1";
  host.socket = socket;
  transport::SshOptions ssh;
  ssh.connect_timeout = std::chrono::milliseconds(500);
  return HostPool::Open({host}, ssh, std::chrono::seconds(5));
}

// As in observe_test.cc, the fake answers every list the same whatever its
// filters; the observer must sort the answers out by their labels.
constexpr char kNetworks[] = R"([
  {"Name": "shop_back", "Labels": {"com.docker.compose.project": "shop",
                                   "baton.subnet": "10.210.3.0/24"}},
  {"Name": "shop_local", "Labels": {"com.docker.compose.project": "shop"}},
  {"Name": "blog_default", "Labels": {"com.docker.compose.project": "blog",
                                      "baton.subnet": "10.210.7.0/24"}},
  {"Name": "bridge", "Labels": {}}])";

constexpr char kContainers[] = R"([
  {"Id": "n1", "Names": ["/baton-netd"], "State": "running", "Status": "Up 1 hour",
   "Labels": {"baton.role": "netd", "baton.managed": "true", "baton.spec-hash": "cafe"}},
  {"Id": "x9", "Names": ["/impostor"], "State": "running", "Status": "Up 1 hour",
   "Labels": {"baton.role": "netd", "com.docker.compose.project": "shop"}}])";

void ServeCluster(FakeDockerServer& server, const std::string& containers = kContainers) {
  server.On("GET", "/v1.41/info", JsonResponse(R"({"Name": "lab1", "OSType": "linux",
      "Architecture": "x86_64", "NCPU": 2, "MemTotal": 1073741824})"));
  server.On("GET", "/v1.41/containers/json", JsonResponse(containers));
  server.On("GET", "/v1.41/networks", JsonResponse(kNetworks));
  server.On("GET", "/v1.41/volumes", JsonResponse(R"({"Volumes": []})"));
}

HostState ObserveShop(FakeDockerServer& server) {
  HostPool pool = PoolOf(server.socket_path());
  HostState host = ObserveProjectByName("shop", pool).hosts.at(0);
  if (!host.reachable) FAIL(host.error);
  return host;
}

TEST_CASE("observe: the project's spanned networks with their slices", "[runtime][observe]") {
  FakeDockerServer server;
  ServeCluster(server);
  HostState host = ObserveShop(server);
  CHECK(host.networks == std::set<std::string>{"shop_back", "shop_local"});
  CHECK(host.network_subnets == std::map<std::string, std::string>{{"shop_back", "10.210.3.0/24"}});
}

TEST_CASE("observe: other projects' slices on the host are taken", "[runtime][observe]") {
  FakeDockerServer server;
  ServeCluster(server);
  HostState host = ObserveShop(server);
  CHECK(host.subnets_elsewhere == std::set<std::string>{"10.210.7.0/24"});
  bool filtered = false;
  for (const testing::FakeRequest& request : server.requests())
    filtered =
        filtered ||
        request.target == "/v1.41/networks?filters=%7B%22label%22%3A%5B%22baton.subnet%22%5D%7D";
  CHECK(filtered);
}

TEST_CASE("observe: the host's netd by name and role, never a project replica",
          "[runtime][observe]") {
  FakeDockerServer server;
  ServeCluster(server);
  HostState host = ObserveShop(server);
  CHECK(host.netd.present);
  CHECK(host.netd.running);
  CHECK(host.netd.id == "n1");
  CHECK(host.netd.spec_hash == "cafe");
  // A container of the netd role is not the project's, whatever its labels.
  CHECK(host.containers.empty());
}

TEST_CASE("observe: a stopped netd is present and not running", "[runtime][observe]") {
  FakeDockerServer server;
  ServeCluster(server, R"([{"Id": "n1", "Names": ["/baton-netd"], "State": "exited",
      "Labels": {"baton.role": "netd", "baton.spec-hash": "cafe"}}])");
  HostState host = ObserveShop(server);
  CHECK(host.netd.present);
  CHECK_FALSE(host.netd.running);
}

TEST_CASE("observe: a container named baton-netd without the netd role is not netd",
          "[runtime][observe]") {
  FakeDockerServer server;
  ServeCluster(server, R"([{"Id": "s1", "Names": ["/baton-netd"], "State": "running",
      "Labels": {}}])");
  HostState host = ObserveShop(server);
  CHECK_FALSE(host.netd.present);
  CHECK(host.netd.id == "");
}

}  // namespace
}  // namespace baton::runtime
