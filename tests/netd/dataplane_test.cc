#include "runtime/netd/dataplane.h"

#include <catch2/catch.hpp>
#include <map>

#include "runtime/netd/routes.h"

namespace baton::netd {
namespace {

// Answers each command line from a table ("" when absent) and records them.
class FakeCommandRunner final : public CommandRunner {
 public:
  Result<std::string> Run(const std::vector<std::string>& argv, std::string_view input) override {
    std::string line;
    for (const std::string& arg : argv) line += (line.empty() ? "" : " ") + arg;
    calls.push_back(line);
    if (!input.empty()) inputs.push_back(std::string(input));
    auto failure = failures.find(line);
    if (failure != failures.end()) return Error::Internal("", line + ": " + failure->second);
    auto answer = answers.find(line);
    return answer == answers.end() ? std::string() : answer->second;
  }

  std::map<std::string, std::string> answers;
  std::map<std::string, std::string> failures;
  std::vector<std::string> calls;
  std::vector<std::string> inputs;
};

NetdConfig Config(OverlayMode mode) {
  NetdConfig config;
  config.host = "lab1";
  config.overlay = mode;
  config.hosts = {{"lab1", "10.209.0.11"}, {"lab2", "10.209.0.12"}};
  return config;
}

// A host where netd's chains and jumps are all in place.
void SetUpChains(FakeCommandRunner& runner) {
  runner.answers["iptables -w -t filter -S"] =
      "-P FORWARD DROP\n-N BATON-FORWARD\n-N DOCKER-USER\n-A DOCKER-USER -j BATON-FORWARD\n"
      "-A DOCKER-USER -j RETURN\n";
  runner.answers["iptables -w -t nat -S"] =
      "-P POSTROUTING ACCEPT\n-N BATON-POSTROUTING\n-A POSTROUTING -j BATON-POSTROUTING\n";
  runner.answers["iptables -w -t mangle -S"] =
      "-P FORWARD ACCEPT\n-N BATON-MANGLE\n-A FORWARD -j BATON-MANGLE\n";
}

const std::vector<std::string> kChainListings = {
    "iptables -w -t filter -S", "iptables -w -t nat -S", "iptables -w -t mangle -S"};

DataplaneInput OnePeer(const std::string& mac = "02:ba:00:00:00:02") {
  DataplaneInput input;
  input.local = {{"shop_back", "10.210.1.0/24", "10.210.1.1"}};
  input.remote = {{{"lab2", "10.209.0.12"}, mac, {{"shop_back", "10.210.2.0/24", "10.210.2.1"}}}};
  return input;
}

TEST_CASE("dataplane start: a fresh host gets the chains and the jumps at the top",
          "[netd][dataplane]") {
  FakeCommandRunner runner;
  runner.answers["iptables -w -t filter -S"] = "-P FORWARD DROP\n";
  Dataplane dataplane(Config(OverlayMode::kRoutes), runner);
  REQUIRE(dataplane.Start().ok());
  CHECK(runner.calls == std::vector<std::string>{
                            "iptables -w -t filter -S",
                            "iptables -w -t filter -N DOCKER-USER",
                            "iptables -w -t filter -N BATON-FORWARD",
                            "iptables -w -t filter -I DOCKER-USER 1 -j BATON-FORWARD",
                            "iptables -w -t nat -S",
                            "iptables -w -t nat -N BATON-POSTROUTING",
                            "iptables -w -t nat -I POSTROUTING 1 -j BATON-POSTROUTING",
                            "iptables -w -t mangle -S",
                            "iptables -w -t mangle -N BATON-MANGLE",
                            "iptables -w -t mangle -I FORWARD 1 -j BATON-MANGLE",
                        });
  CHECK(dataplane.vxlan_mac().empty());
}

constexpr char kAddresses[] =
    R"([{"ifname":"lo","mtu":65536,"addr_info":[{"family":"inet","local":"127.0.0.1"}]},)"
    R"({"ifname":"eth0","mtu":1400,"addr_info":[{"family":"inet","local":"10.209.0.11"}]}])";

TEST_CASE("dataplane start: the overlay device is created with its MAC and a smaller MTU",
          "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  runner.answers["ip -j -d link show"] = R"([{"ifname":"eth0"}])";
  runner.answers["ip -j addr show"] = kAddresses;
  runner.answers["ip -j link show dev baton-vx"] =
      R"([{"ifname":"baton-vx","address":")" + VxlanMacFor("lab1") + R"("}])";
  Dataplane dataplane(Config(OverlayMode::kVxlan), runner);
  REQUIRE(dataplane.Start().ok());
  std::vector<std::string> expected = kChainListings;
  expected.insert(expected.end(),
                  {"ip -j -d link show",
                   "ip link add baton-vx type vxlan id 4210 dstport 4789 local 10.209.0.11 "
                   "nolearning",
                   "ip -j addr show",
                   "ip link set dev baton-vx address " + VxlanMacFor("lab1") + " mtu 1350 up",
                   "ip -j link show dev baton-vx"});
  CHECK(runner.calls == expected);
  CHECK(dataplane.vxlan_mac() == VxlanMacFor("lab1"));
}

TEST_CASE("dataplane start: an overlay device with another VNI is recreated",
          "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  runner.answers["ip -j -d link show"] =
      R"([{"ifname":"baton-vx","linkinfo":{"info_kind":"vxlan","info_data":)"
      R"({"id":99,"local":"10.209.0.11","port":4789}}}])";
  runner.answers["ip -j addr show"] = kAddresses;
  Dataplane dataplane(Config(OverlayMode::kAuto), runner);
  dataplane.Start().ok();
  CHECK(runner.calls.at(4) == "ip link del baton-vx");
  CHECK(runner.calls.at(5).rfind("ip link add baton-vx type vxlan id 4210 ", 0) == 0);
}

TEST_CASE("dataplane start: a matching overlay device is kept", "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  runner.answers["ip -j -d link show"] =
      R"([{"ifname":"baton-vx","linkinfo":{"info_kind":"vxlan","info_data":)"
      R"({"id":4210,"local":"10.209.0.11","port":4789}}}])";
  runner.answers["ip -j addr show"] = kAddresses;
  Dataplane dataplane(Config(OverlayMode::kAuto), runner);
  dataplane.Start().ok();
  CHECK(runner.calls.at(4) == "ip -j addr show");
}

TEST_CASE("dataplane start: a config without this host fails to set up the overlay",
          "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  NetdConfig config = Config(OverlayMode::kVxlan);
  config.host = "lab9";
  Dataplane dataplane(config, runner);
  Status status = dataplane.Start();
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().ToString() == "netd config: overlay device: host lab9 is not among hosts");
}

TEST_CASE("dataplane apply: rules, jumps and routes, then a second call only looks",
          "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  Dataplane dataplane(Config(OverlayMode::kRoutes), runner);
  REQUIRE(dataplane.Apply(OnePeer()).ok());
  std::vector<std::string> expected = {"iptables-restore -w -n", "iptables-restore -w -n",
                                       "iptables-restore -w -n"};
  expected.insert(expected.end(), kChainListings.begin(), kChainListings.end());
  expected.insert(expected.end(),
                  {"ip -j route show proto 186",
                   "ip route replace 10.210.2.0/24 via 10.209.0.12 proto 186"});
  CHECK(runner.calls == expected);
  REQUIRE(runner.inputs.size() == 3);
  CHECK(runner.inputs[0].find("-A BATON-FORWARD -s 10.210.1.0/24 -d 10.210.2.0/24 -j ACCEPT\n") !=
        std::string::npos);

  runner.calls.clear();
  runner.answers["ip -j route show proto 186"] =
      R"([{"dst":"10.210.2.0/24","gateway":"10.209.0.12","dev":"eth0","flags":[]}])";
  REQUIRE(dataplane.Apply(OnePeer()).ok());
  expected = kChainListings;
  expected.push_back("ip -j route show proto 186");
  CHECK(runner.calls == expected);
}

TEST_CASE("dataplane apply: a jump dockerd pushed down is moved back to the top",
          "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  runner.answers["iptables -w -t nat -S"] =
      "-N BATON-POSTROUTING\n-A POSTROUTING -s 10.210.1.0/24 ! -o br-1 -j MASQUERADE\n"
      "-A POSTROUTING -j BATON-POSTROUTING\n";
  Dataplane dataplane(Config(OverlayMode::kRoutes), runner);
  REQUIRE(dataplane.Apply({}).ok());
  CHECK(runner.calls.at(5) == "iptables -w -t nat -D POSTROUTING -j BATON-POSTROUTING");
  CHECK(runner.calls.at(6) == "iptables -w -t nat -I POSTROUTING 1 -j BATON-POSTROUTING");
  CHECK(runner.calls.at(7) == "iptables -w -t mangle -S");
}

TEST_CASE("dataplane apply: routes no longer announced are deleted, changed ones replaced",
          "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  runner.answers["ip -j route show proto 186"] =
      R"([{"dst":"10.210.2.0/24","gateway":"10.209.0.13","dev":"eth0","flags":[]},)"
      R"({"dst":"10.210.7.0/24","gateway":"10.209.0.12","dev":"eth0","flags":[]}])";
  Dataplane dataplane(Config(OverlayMode::kRoutes), runner);
  REQUIRE(dataplane.Apply(OnePeer()).ok());
  CHECK(std::vector<std::string>(runner.calls.end() - 2, runner.calls.end()) ==
        std::vector<std::string>{"ip route del 10.210.7.0/24 proto 186",
                                 "ip route replace 10.210.2.0/24 via 10.209.0.12 proto 186"});
}

TEST_CASE("dataplane apply: auto mode probes each peer once", "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  runner.answers["ip route get 10.209.0.12"] = "10.209.0.12 via 10.209.0.1 dev eth0\n";
  Dataplane dataplane(Config(OverlayMode::kAuto), runner);
  REQUIRE(dataplane.Apply(OnePeer()).ok());
  CHECK(runner.calls.front() == "ip route get 10.209.0.12");
  CHECK(runner.calls.back() ==
        "ip route replace 10.210.2.0/24 via 10.210.2.1 dev baton-vx onlink proto 186");
  runner.calls.clear();
  REQUIRE(dataplane.Apply(OnePeer()).ok());
  CHECK(runner.calls.front() == "iptables -w -t filter -S");
}

TEST_CASE("dataplane apply: overlay peers get forwarding and neighbour entries, stale ones go",
          "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  runner.answers["ip -j -d link show"] = "[]";
  runner.answers["ip -j addr show"] = kAddresses;
  runner.answers["ip -j link show dev baton-vx"] = R"([{"ifname":"baton-vx","address":"x"}])";
  runner.answers["bridge -j fdb show dev baton-vx"] =
      R"([{"mac":"02:ba:00:00:00:09","dst":"10.209.0.19"}])";
  runner.answers["ip -j neigh show dev baton-vx"] =
      R"([{"dst":"10.210.9.1","lladdr":"02:ba:00:00:00:09","state":["PERMANENT"]}])";
  Dataplane dataplane(Config(OverlayMode::kVxlan), runner);
  REQUIRE(dataplane.Start().ok());
  runner.calls.clear();
  REQUIRE(dataplane.Apply(OnePeer()).ok());
  CHECK(std::vector<std::string>(runner.calls.end() - 6, runner.calls.end()) ==
        std::vector<std::string>{
            "bridge -j fdb show dev baton-vx",
            "bridge fdb del 02:ba:00:00:00:09 dev baton-vx dst 10.209.0.19",
            "bridge fdb replace 02:ba:00:00:00:02 dev baton-vx dst 10.209.0.12",
            "ip -j neigh show dev baton-vx",
            "ip neigh del 10.210.9.1 dev baton-vx",
            "ip neigh replace 10.210.2.1 lladdr 02:ba:00:00:00:02 dev baton-vx nud permanent"});
}

TEST_CASE("dataplane apply: a failed restore is retried on the next call", "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  runner.failures["iptables-restore -w -n"] = "resource busy";
  Dataplane dataplane(Config(OverlayMode::kRoutes), runner);
  Status status = dataplane.Apply({});
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().ToString() == "iptables-restore -w -n: resource busy");
  CHECK(runner.calls.back() == "ip -j route show proto 186");  // the rest still ran
  runner.failures.clear();
  runner.calls.clear();
  REQUIRE(dataplane.Apply({}).ok());
  CHECK(runner.calls.front() == "iptables-restore -w -n");
}

TEST_CASE("dataplane cleanup: removes jumps, chains, routes and the overlay device",
          "[netd][dataplane]") {
  FakeCommandRunner runner;
  SetUpChains(runner);
  runner.answers["ip -j route show proto 186"] =
      R"([{"dst":"10.210.2.0/24","gateway":"10.209.0.12","dev":"eth0","flags":[]}])";
  runner.answers["ip -j link show"] = R"([{"ifname":"eth0"},{"ifname":"baton-vx"}])";
  Dataplane dataplane(Config(OverlayMode::kAuto), runner);
  REQUIRE(dataplane.Cleanup().ok());
  CHECK(runner.calls == std::vector<std::string>{
                            "iptables -w -t filter -S",
                            "iptables -w -t filter -D DOCKER-USER -j BATON-FORWARD",
                            "iptables -w -t filter -F BATON-FORWARD",
                            "iptables -w -t filter -X BATON-FORWARD",
                            "iptables -w -t nat -S",
                            "iptables -w -t nat -D POSTROUTING -j BATON-POSTROUTING",
                            "iptables -w -t nat -F BATON-POSTROUTING",
                            "iptables -w -t nat -X BATON-POSTROUTING",
                            "iptables -w -t mangle -S",
                            "iptables -w -t mangle -D FORWARD -j BATON-MANGLE",
                            "iptables -w -t mangle -F BATON-MANGLE",
                            "iptables -w -t mangle -X BATON-MANGLE",
                            "ip -j route show proto 186",
                            "ip route del 10.210.2.0/24 proto 186",
                            "ip -j link show",
                            "ip link del baton-vx",
                        });
}

TEST_CASE("dataplane cleanup: a clean host only gets looked at", "[netd][dataplane]") {
  FakeCommandRunner runner;
  runner.answers["ip -j link show"] = R"([{"ifname":"eth0"}])";
  Dataplane dataplane(Config(OverlayMode::kAuto), runner);
  REQUIRE(dataplane.Cleanup().ok());
  std::vector<std::string> expected = kChainListings;
  expected.insert(expected.end(), {"ip -j route show proto 186", "ip -j link show"});
  CHECK(runner.calls == expected);
}

TEST_CASE("dataplane cleanup: a failing step does not stop the others", "[netd][dataplane]") {
  FakeCommandRunner runner;
  runner.failures["iptables -w -t filter -S"] = "iptables: Permission denied";
  runner.answers["ip -j link show"] = R"([{"ifname":"baton-vx"}])";
  Dataplane dataplane(Config(OverlayMode::kAuto), runner);
  Status status = dataplane.Cleanup();
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().ToString() == "iptables -w -t filter -S: iptables: Permission denied");
  CHECK(runner.calls.back() == "ip link del baton-vx");
}

}  // namespace
}  // namespace baton::netd
