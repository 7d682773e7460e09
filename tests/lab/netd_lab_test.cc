// netd's engine watch against a real lab engine (lab1's dockerd through its
// socket, BATON_TEST_DOCKER_SOCKET). Everything created is named netdtest-*
// on subnets 10.210.210-219.0/24 and removed at the end of each test.

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/unix_http.h"
#include "runtime/netd/engine_watch.h"
#include "runtime/netd/ipv4.h"

namespace baton::netd {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::optional<std::string> LabSocket() {
  const char* socket = std::getenv("BATON_TEST_DOCKER_SOCKET");
  if (socket == nullptr || *socket == '\0') {
    WARN("BATON_TEST_DOCKER_SOCKET is not set: skipped (run under the lab)");
    return std::nullopt;
  }
  return std::string(socket);
}

// Creates networks and containers on the lab engine; removes them all when
// destroyed, containers first.
class LabObjects {
 public:
  explicit LabObjects(std::string socket) : socket_(std::move(socket)) {}
  ~LabObjects() {
    for (const std::string& name : containers_) Call("DELETE", "/containers/" + name + "?force=1");
    for (const std::string& name : networks_) Call("DELETE", "/networks/" + name);
  }

  void Network(const std::string& name, const std::string& subnet) {
    Call("DELETE", "/networks/" + name);  // a leftover of an interrupted run
    json body = {{"Name", name},
                 {"Labels", {{"baton.subnet", subnet}}},
                 {"IPAM", {{"Config", {{{"Subnet", subnet}}}}}}};
    networks_.push_back(name);
    REQUIRE(Call("POST", "/networks/create", body.dump()) == 201);
  }

  // A started busybox sleeping on `network`; `health` the healthcheck
  // command ("true"/"false"), none when empty.
  void Container(const std::string& name, const std::string& network, const std::string& health,
                 json labels = json::object()) {
    Call("DELETE", "/containers/" + name + "?force=1");
    json body = {{"Image", "baton/busybox:lab"},
                 {"Cmd", {"sleep", "300"}},
                 {"Labels", labels},
                 {"HostConfig", {{"NetworkMode", network}}}};
    if (!health.empty()) {
      body["Healthcheck"] = {{"Test", {"CMD", health}}, {"Interval", 500000000},
                             {"Timeout", 1000000000}, {"Retries", 1}};
    }
    containers_.push_back(name);
    REQUIRE(Call("POST", "/containers/create?name=" + name, body.dump()) == 201);
    REQUIRE(Call("POST", "/containers/" + name + "/start") == 204);
  }

 private:
  int Call(const std::string& method, const std::string& target, const std::string& body = "") {
    auto reply = UnixHttpRequest(socket_, method, target, body.empty() ? "" : "application/json",
                                 body, 30s);
    return reply.ok() ? reply->status : -1;
  }

  std::string socket_;
  std::vector<std::string> networks_;
  std::vector<std::string> containers_;
};

std::optional<dns::Endpoint> EndpointOf(const EngineState& state, const std::string& container) {
  for (const dns::Endpoint& e : state.endpoints) {
    if (e.container == container) return e;
  }
  return std::nullopt;
}

// Re-reads the engine until `check` holds or `within` passes.
bool Eventually(EngineWatch& watch, const std::function<bool(const EngineState&)>& check,
                std::chrono::milliseconds within) {
  auto until = std::chrono::steady_clock::now() + within;
  do {
    auto state = watch.Read();
    if (state.ok() && check(*state)) return true;
    std::this_thread::sleep_for(200ms);
  } while (std::chrono::steady_clock::now() < until);
  return false;
}

TEST_CASE("netd lab: engine watch reads a baton network and its container", "[lab][netd]") {
  auto socket = LabSocket();
  if (!socket) return;
  LabObjects lab(*socket);
  lab.Network("netdtest-net", "10.210.210.0/24");
  lab.Container("netdtest-plain", "netdtest-net", "",
                {{"com.docker.compose.service", "web"},
                 {"baton.aliases", R"({"netdtest-net":["www"]})"}});
  EngineWatch watch(*socket);
  auto state = watch.Read();
  REQUIRE(state.ok());
  auto network = std::find_if(state->networks.begin(), state->networks.end(),
                              [](const HostNetwork& n) { return n.name == "netdtest-net"; });
  REQUIRE(network != state->networks.end());
  CHECK(network->subnet == "10.210.210.0/24");
  CHECK(network->gateway == "10.210.210.1");
  auto endpoint = EndpointOf(*state, "netdtest-plain");
  REQUIRE(endpoint);
  CHECK(endpoint->network == "netdtest-net");
  CHECK(CidrContains(*ParseIpv4Cidr("10.210.210.0/24"), endpoint->ipv4));
  CHECK(endpoint->service == "web");
  CHECK(endpoint->aliases == std::vector<std::string>{"www"});
  CHECK(endpoint->ready);
}

TEST_CASE("netd lab: only a healthy container becomes ready", "[lab][netd]") {
  auto socket = LabSocket();
  if (!socket) return;
  LabObjects lab(*socket);
  lab.Network("netdtest-health", "10.210.211.0/24");
  lab.Container("netdtest-healthy", "netdtest-health", "true");
  lab.Container("netdtest-sick", "netdtest-health", "false");
  EngineWatch watch(*socket);
  auto first = watch.Read();
  REQUIRE(first.ok());
  REQUIRE(EndpointOf(*first, "netdtest-sick"));
  CHECK(Eventually(watch, [](const EngineState& s) {
    auto healthy = EndpointOf(s, "netdtest-healthy");
    return healthy && healthy->ready;
  }, 10s));
  std::this_thread::sleep_for(2s);  // several failed checks later
  auto later = watch.Read();
  REQUIRE(later.ok());
  auto sick = EndpointOf(*later, "netdtest-sick");
  REQUIRE(sick);
  CHECK_FALSE(sick->ready);
}

TEST_CASE("netd lab: a container start wakes the watch", "[lab][netd]") {
  auto socket = LabSocket();
  if (!socket) return;
  LabObjects lab(*socket);
  lab.Network("netdtest-events", "10.210.212.0/24");
  EngineWatch watch(*socket);
  watch.StartEvents();
  std::this_thread::sleep_for(500ms);
  while (watch.WaitForEvent(200ms)) {
  }  // the first connection's wake-up, and the network's creation
  lab.Container("netdtest-evented", "netdtest-events", "");
  CHECK(watch.WaitForEvent(5s));
}

}  // namespace
}  // namespace baton::netd
