// MakeUpPlan and MakeDownPlan with cluster networking: spanned networks'
// subnets and the per-host netd.

#include <catch2/catch.hpp>

#include "planner/cluster_subnets.h"
#include "planner/plan.h"
#include "tests/planner/placement_random.h"
#include "tests/planner/plan_fixture.h"

namespace baton::planner {
namespace {

using namespace testing;
using Subnets = std::map<std::string, std::map<std::string, std::string>>;

UpOptions WithNetd(const std::vector<std::string>& hosts) {
  UpOptions options;
  for (const std::string& host : hosts) options.netd_hashes[host] = kNetdHash;
  return options;
}

// "lab1 shop_default 10.210.0.0/24" for each create-network that carries a subnet.
std::string CreatedSubnets(const Plan& plan) {
  std::string out;
  for (const Action& a : plan.actions)
    if (a.kind == ActionKind::kCreateNetwork)
      out += a.host + " " + a.name + " " + (a.subnet.empty() ? "-" : a.subnet) + "\n";
  return out;
}

// The converged state with every host's network spanned and netd up to date.
ActualState ConvergedWithNetd(const Stack& s) {
  ActualState actual = Converged(s);
  int slice = 0;
  for (HostState& host : actual.hosts) {
    host.network_subnets["shop_default"] = "10.210." + std::to_string(slice++) + ".0/24";
    host.netd = {true, true, "netd-" + host.name, kNetdHash};
  }
  return actual;
}

TEST_CASE("plan cluster: each host that runs a replica gets its own slice", "[planner][cluster]") {
  Stack s = Fresh();
  Plan plan = Up(s.desired, s.actual);
  CHECK(plan.subnets == Subnets{{"lab1", {{"shop_default", "10.210.0.0/24"}}},
                                {"lab2", {{"shop_default", "10.210.1.0/24"}}}});
  CHECK(CreatedSubnets(plan) ==
        "lab1 shop_default 10.210.0.0/24\n"
        "lab2 shop_default 10.210.1.0/24\n");
  CHECK(plan.errors.empty());
}

TEST_CASE("plan cluster: an existing network keeps its subnet, others skip what is taken",
          "[planner][cluster]") {
  Stack s = Fresh();
  s.actual.hosts[0].networks = {"shop_default"};
  s.actual.hosts[0].network_subnets = {{"shop_default", "10.210.1.0/24"}};
  s.actual.hosts[1].subnets_elsewhere = {"10.210.0.0/24"};  // another project's
  Plan plan = Up(s.desired, s.actual);
  CHECK(plan.subnets == Subnets{{"lab1", {{"shop_default", "10.210.1.0/24"}}},
                                {"lab2", {{"shop_default", "10.210.2.0/24"}}}});
  CHECK(CreatedSubnets(plan) == "lab2 shop_default 10.210.2.0/24\n");
}

TEST_CASE("plan cluster: subnets come from the configured space", "[planner][cluster]") {
  Stack s = Fresh();
  UpOptions options;
  options.cluster_subnet = "172.30.0.0/20";
  options.slice_prefix = 26;
  CHECK(Up(s.desired, s.actual, options).subnets ==
        Subnets{{"lab1", {{"shop_default", "172.30.0.0/26"}}},
                {"lab2", {{"shop_default", "172.30.0.64/26"}}}});
}

TEST_CASE("plan cluster: a full space is a plan error and the network is not created",
          "[planner][cluster]") {
  Stack s = Fresh();
  UpOptions options;
  options.cluster_subnet = "10.210.0.0/24";
  Plan plan = Up(s.desired, s.actual, options);
  CHECK(plan.errors ==
        std::vector<std::string>{"cluster address space 10.210.0.0/24 has no free /24 for network "
                                 "shop_default on lab2"});
  CHECK(plan.subnets == Subnets{{"lab1", {{"shop_default", "10.210.0.0/24"}}}});
  CHECK(CreatedSubnets(plan) == "lab1 shop_default 10.210.0.0/24\n");
}

TEST_CASE("plan cluster: a bad cluster setting is a plan error", "[planner][cluster]") {
  Stack s = Fresh();
  UpOptions options;
  options.slice_prefix = 8;
  Plan plan = Up(s.desired, s.actual, options);
  CHECK(plan.errors == std::vector<std::string>{"cluster slice_prefix 8 must be between 16 (the "
                                                "cluster subnet's prefix) and 30"});
  CHECK(plan.subnets.empty());
  CHECK(CreatedSubnets(plan).empty());
}

TEST_CASE("plan cluster: networks with their own pools or driver stay host-local",
          "[planner][cluster]") {
  Stack s = Fresh();
  s.desired.networks[0].network.ipam = compose::Ipam{};
  s.desired.networks[0].network.ipam->config.push_back({"172.28.0.0/16", "", "", {}});
  Plan plan = Up(s.desired, s.actual, WithNetd({"lab1", "lab2"}));
  CHECK(plan.subnets.empty());
  CHECK(CreatedSubnets(plan) == "lab1 shop_default -\nlab2 shop_default -\n");
  CHECK(Describe(plan).find("netd") == std::string::npos);
}

TEST_CASE("plan cluster: external networks are never spanned", "[planner][cluster]") {
  ServiceSpec web = Service("web");
  web.service.networks["edge"] = std::nullopt;
  DesiredState desired = Desired({web});
  desired.networks = {Network("edge", true)};
  Plan plan = Up(desired, Actual({Host("lab1")}), WithNetd({"lab1"}));
  CHECK(plan.subnets.empty());
  CHECK(Describe(plan) ==
        "0 lab1 pull img/web\n"
        "1 lab1 create shop-web-1 after 0\n");
}

TEST_CASE("plan cluster: a network made without a subnet stays host-local", "[planner][cluster]") {
  Stack s = Fresh();
  Plan plan = Up(s.desired, Converged(s), WithNetd({"lab1", "lab2"}));
  CHECK(plan.empty());
  CHECK(plan.subnets.empty());
}

TEST_CASE("plan cluster: netd is created before the host's containers", "[planner][cluster]") {
  Stack s = Fresh();
  CHECK(Describe(Up(s.desired, s.actual, WithNetd({"lab1", "lab2"}))) ==
        "0 lab1 create-network shop_default\n"
        "1 lab1 create-volume shop_data\n"
        "2 lab1 pull img/db\n"
        "3 lab1 pull img/web\n"
        "4 lab1 create-netd baton-netd (cluster networking)\n"
        "5 lab1 create shop-db-1 after 0,1,2,4\n"
        "6 lab1 create shop-web-2 after 0,3,4\n"
        "7 lab2 create-network shop_default\n"
        "8 lab2 pull img/web\n"
        "9 lab2 create-netd baton-netd (cluster networking)\n"
        "10 lab2 create shop-web-1 after 7,8,9\n");
}

TEST_CASE("plan cluster: no netd action for a host without a wanted hash", "[planner][cluster]") {
  Stack s = Fresh();
  std::string plan = Describe(Up(s.desired, s.actual, WithNetd({"lab2"})));
  CHECK(plan.find("lab1 create-netd") == std::string::npos);
  CHECK(plan.find("lab2 create-netd") != std::string::npos);
}

TEST_CASE("plan cluster: an up-to-date running netd is left alone", "[planner][cluster]") {
  Stack s = Fresh();
  Plan plan = Up(s.desired, ConvergedWithNetd(s), WithNetd({"lab1", "lab2"}));
  CHECK(plan.empty());
  CHECK(plan.subnets == Subnets{{"lab1", {{"shop_default", "10.210.0.0/24"}}},
                                {"lab2", {{"shop_default", "10.210.1.0/24"}}}});
}

TEST_CASE("plan cluster: netd with another hash is recreated", "[planner][cluster]") {
  Stack s = Fresh();
  ActualState actual = ConvergedWithNetd(s);
  HostNamed(actual, "lab2")->netd.spec_hash = "old";
  Plan plan = Up(s.desired, actual, WithNetd({"lab1", "lab2"}));
  CHECK(Describe(plan) == "0 lab2 recreate-netd baton-netd (config changed)\n");
  CHECK(plan.actions[0].container_id == "netd-lab2");
}

TEST_CASE("plan cluster: a stopped netd is recreated", "[planner][cluster]") {
  Stack s = Fresh();
  ActualState actual = ConvergedWithNetd(s);
  HostNamed(actual, "lab1")->netd.running = false;
  CHECK(Describe(Up(s.desired, actual, WithNetd({"lab1", "lab2"}))) ==
        "0 lab1 recreate-netd baton-netd (not running)\n");
}

TEST_CASE("plan cluster: a recreated netd comes before the host's recreated containers",
          "[planner][cluster]") {
  Stack s = Fresh();
  ActualState actual = ConvergedWithNetd(s);
  HostNamed(actual, "lab2")->netd.spec_hash = "old";
  s.desired.services[1].spec_hash = "hash-web-2";  // web runs on both hosts
  CHECK(Describe(Up(s.desired, actual, WithNetd({"lab1", "lab2"}))) ==
        "0 lab1 recreate shop-web-2 (configuration changed)\n"
        "1 lab2 recreate-netd baton-netd (config changed)\n"
        "2 lab2 recreate shop-web-1 (configuration changed) after 1\n");
}

TEST_CASE("plan cluster: a host left with no spanned replica gets no netd", "[planner][cluster]") {
  ServiceSpec web = Service("web");
  DesiredState desired = Desired({web});
  desired.networks = {Network("default")};
  ActualState actual = Actual({Host("lab1"), Host("lab2")});
  actual.hosts[1].networks = {"shop_default"};
  actual.hosts[1].network_subnets = {{"shop_default", "10.210.9.0/24"}};
  actual.hosts[1].containers = {Replica(web, 2)};  // scaled down: it goes
  std::string plan = Describe(Up(desired, actual, WithNetd({"lab1", "lab2"})));
  CHECK(plan.find("lab1 create-netd") != std::string::npos);
  CHECK(plan.find("lab2 create-netd") == std::string::npos);
  CHECK(plan.find("lab2 remove shop-web-2 (scaled down)") != std::string::npos);
}

TEST_CASE("plan cluster: a replica outside `up SERVICE` still needs its netd",
          "[planner][cluster]") {
  Stack s = Fresh();
  ActualState actual = ConvergedWithNetd(s);
  HostNamed(actual, "lab1")->netd.spec_hash = "old";
  UpOptions options = WithNetd({"lab1", "lab2"});
  options.services = {"web"};
  s.desired.services[1].replicas = 1;  // web-2 on lab1 goes; db stays there
  CHECK(Describe(Up(s.desired, actual, options)) ==
        "0 lab1 recreate-netd baton-netd (config changed)\n"
        "1 lab1 remove shop-web-2 (scaled down)\n");
}

Plan Down(const ActualState& actual) {
  Stack s = Fresh();
  return MakeDownPlan(s.desired, actual, {});
}

TEST_CASE("down cluster: netd goes after the host's networks when no project needs it",
          "[planner][cluster]") {
  Stack s = Fresh();
  Plan plan = Down(ConvergedWithNetd(s));
  CHECK(Describe(plan) ==
        "0 lab1 remove shop-db-1\n"
        "1 lab1 remove shop-web-2\n"
        "2 lab1 remove-network shop_default after 0,1\n"
        "3 lab1 remove-netd baton-netd (no cluster network left) after 0,1,2\n"
        "4 lab2 remove shop-web-1\n"
        "5 lab2 remove-network shop_default after 4\n"
        "6 lab2 remove-netd baton-netd (no cluster network left) after 4,5\n");
  CHECK(plan.actions[3].container_id == "netd-lab1");
}

TEST_CASE("down cluster: netd stays while another project spans a network there",
          "[planner][cluster]") {
  Stack s = Fresh();
  ActualState actual = ConvergedWithNetd(s);
  HostNamed(actual, "lab1")->subnets_elsewhere = {"10.210.7.0/24"};
  std::string plan = Describe(Down(actual));
  CHECK(plan.find("lab1 remove-netd") == std::string::npos);
  CHECK(plan.find("lab2 remove-netd") != std::string::npos);
}

TEST_CASE("down cluster: a host without netd gets no removal", "[planner][cluster]") {
  Stack s = Fresh();
  CHECK(Describe(Down(Converged(s))).find("netd") == std::string::npos);
}

TEST_CASE("down cluster: netd goes from a host where the project has nothing left",
          "[planner][cluster]") {
  ActualState actual = Actual({Host("lab1")});
  actual.hosts[0].netd = {true, false, "netd-lab1", "old"};
  CHECK(Describe(Down(actual)) == "0 lab1 remove-netd baton-netd (no cluster network left)\n");
}

// Whether any two (network, host) pairs of `plan` share a subnet.
bool SharedSubnet(const Plan& plan) {
  std::set<std::string> seen;
  for (const auto& [host, networks] : plan.subnets)
    for (const auto& [network, subnet] : networks)
      if (!seen.insert(subnet).second) return true;
  return false;
}

TEST_CASE("plan cluster property: with netd, running a plan converges", "[planner][cluster]") {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    std::vector<std::string> hosts;
    for (const HostState& host : c.actual.hosts) hosts.push_back(host.name);
    UpOptions options = WithNetd(hosts);
    Plan first = Up(c.desired, c.actual, options);
    REQUIRE(first.errors.empty());
    CHECK_FALSE(SharedSubnet(first));
    Random order(seed);
    ActualState after = Run(c.desired, c.actual, first, order, true);
    Plan second = Up(c.desired, after, options);
    INFO(Describe(second));
    REQUIRE(second.empty());
    CHECK(second.subnets == first.subnets);
  }
}

}  // namespace
}  // namespace baton::planner
