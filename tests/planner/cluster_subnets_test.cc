#include "planner/cluster_subnets.h"

#include <catch2/catch.hpp>
#include <random>

namespace baton::planner {
namespace {

ClusterSpace Space(const std::string& subnet = "10.210.0.0/16", int slice_prefix = 24) {
  auto space = ParseClusterSpace(subnet, slice_prefix);
  if (!space.ok()) FAIL(space.error().ToString());
  return *space;
}

std::string SpaceError(const std::string& subnet, int slice_prefix) {
  auto space = ParseClusterSpace(subnet, slice_prefix);
  return space.ok() ? "parsed" : space.error().ToString();
}

compose::Network Bridge() { return compose::Network{}; }

TEST_CASE("cluster subnets: a plain bridge network spans hosts", "[planner][cluster]") {
  compose::Network network = Bridge();
  CHECK(SpansHosts(network));
  network.driver = "bridge";
  CHECK(SpansHosts(network));
  network.ipam = compose::Ipam{};
  network.ipam->driver = "default";
  CHECK(SpansHosts(network));  // ipam without pools still lets baton choose
}

TEST_CASE("cluster subnets: external networks never span hosts", "[planner][cluster]") {
  compose::Network network = Bridge();
  network.external = true;
  CHECK_FALSE(SpansHosts(network));
}

TEST_CASE("cluster subnets: other drivers never span hosts", "[planner][cluster]") {
  compose::Network network = Bridge();
  network.driver = "macvlan";
  CHECK_FALSE(SpansHosts(network));
}

TEST_CASE("cluster subnets: user ipam pools keep a network host-local", "[planner][cluster]") {
  compose::Network network = Bridge();
  network.ipam = compose::Ipam{};
  network.ipam->config.push_back({"172.28.0.0/16", "", "", {}});
  CHECK_FALSE(SpansHosts(network));
}

TEST_CASE("cluster subnets: the cluster space is parsed", "[planner][cluster]") {
  ClusterSpace space = Space("10.210.0.0/16", 24);
  CHECK(space.space.ToString() == "10.210.0.0/16");
  CHECK(space.space.last() == 0x0AD2FFFFu);
  CHECK(space.slice_prefix == 24);
  CHECK(Space("192.168.0.0/24", 30).slice_prefix == 30);
  CHECK(Space("10.0.0.0/24", 24).space.ToString() == "10.0.0.0/24");
}

TEST_CASE("cluster subnets: a cluster subnet that is not IPv4 is refused", "[planner][cluster]") {
  const char* expected = " is not an IPv4 network like 10.210.0.0/16";
  for (std::string bad : {"10.210.0.0", "10.210.0.0/33", "10.210.0/16", "fd00::/8", "",
                          "10.210.0.0/", "10.210.0.0/1x", "010.210.0.0/16", "10.210.0.0/100"})
    CHECK(SpaceError(bad, 24) == "cluster subnet \"" + bad + "\"" + expected);
}

TEST_CASE("cluster subnets: a cluster subnet with host bits set is refused", "[planner][cluster]") {
  CHECK(SpaceError("10.210.3.0/16", 24) ==
        "cluster subnet \"10.210.3.0/16\" has host bits set (meant 10.210.0.0/16?)");
}

TEST_CASE("cluster subnets: the slice prefix must fit the space", "[planner][cluster]") {
  CHECK(SpaceError("10.210.0.0/16", 12) ==
        "cluster slice_prefix 12 must be between 16 (the cluster subnet's prefix) and 30");
  CHECK(SpaceError("10.210.0.0/16", 31) ==
        "cluster slice_prefix 31 must be between 16 (the cluster subnet's prefix) and 30");
}

TEST_CASE("cluster subnets: network parsing needs a clean network", "[planner][cluster]") {
  Ipv4Net net;
  REQUIRE(ParseIpv4Net("10.210.3.0/24", net));
  CHECK(net.first == 0x0AD20300u);
  CHECK(net.prefix == 24);
  CHECK_FALSE(ParseIpv4Net("10.210.3.7/24", net));
  CHECK_FALSE(ParseIpv4Net("10.210.3.0", net));
  CHECK(ParseIpv4Net("0.0.0.0/0", net));
  CHECK(net.last() == 0xFFFFFFFFu);
}

TEST_CASE("cluster subnets: new pairs get the lowest free slices in order", "[planner][cluster]") {
  SubnetAllocation a = AllocateSubnets(
      Space(), {{"shop_back", "lab1"}, {"shop_back", "lab2"}, {"shop_front", "lab1"}}, {}, {});
  CHECK(a.errors.empty());
  CHECK(a.subnets ==
        std::map<NetworkOnHost, std::string>{{{"shop_back", "lab1"}, "10.210.0.0/24"},
                                             {{"shop_back", "lab2"}, "10.210.1.0/24"},
                                             {{"shop_front", "lab1"}, "10.210.2.0/24"}});
}

TEST_CASE("cluster subnets: an existing pair keeps its subnet", "[planner][cluster]") {
  SubnetAllocation a = AllocateSubnets(Space(), {{"shop_back", "lab1"}, {"shop_back", "lab2"}},
                                       {{{"shop_back", "lab2"}, "10.210.0.0/24"}}, {});
  CHECK(a.subnets ==
        std::map<NetworkOnHost, std::string>{{{"shop_back", "lab1"}, "10.210.1.0/24"},
                                             {{"shop_back", "lab2"}, "10.210.0.0/24"}});
}

TEST_CASE("cluster subnets: an existing subnet outside the space is kept", "[planner][cluster]") {
  SubnetAllocation a = AllocateSubnets(Space(), {{"shop_back", "lab1"}},
                                       {{{"shop_back", "lab1"}, "10.99.7.0/24"}}, {});
  CHECK(a.errors.empty());
  CHECK(a.subnets.at({"shop_back", "lab1"}) == "10.99.7.0/24");
}

TEST_CASE("cluster subnets: subnets taken anywhere are skipped, whatever their size",
          "[planner][cluster]") {
  SubnetAllocation a = AllocateSubnets(
      Space(), {{"n", "h1"}, {"n", "h2"}}, {},
      {"10.210.0.0/24", "10.210.1.128/25", "10.210.2.0/23", "garbage", "10.0.0.0/8x"});
  CHECK(a.subnets.at({"n", "h1"}) == "10.210.4.0/24");
  CHECK(a.subnets.at({"n", "h2"}) == "10.210.5.0/24");
}

TEST_CASE("cluster subnets: a taken range wider than the space fills it", "[planner][cluster]") {
  SubnetAllocation a = AllocateSubnets(Space(), {{"shop_back", "lab3"}}, {}, {"10.0.0.0/8"});
  CHECK(a.subnets.empty());
  CHECK(a.errors ==
        std::vector<std::string>{"cluster address space 10.210.0.0/16 has no free /24 for network "
                                 "shop_back on lab3"});
}

TEST_CASE("cluster subnets: a full space names each pair left without a subnet",
          "[planner][cluster]") {
  SubnetAllocation a = AllocateSubnets(
      Space("10.210.0.0/23", 24), {{"a", "h1"}, {"b", "h1"}, {"c", "h1"}, {"c", "h2"}}, {}, {});
  CHECK(a.subnets.size() == 2);
  CHECK(a.errors == std::vector<std::string>{
                        "cluster address space 10.210.0.0/23 has no free /24 for network c on h1",
                        "cluster address space 10.210.0.0/23 has no free /24 for network c on h2"});
}

TEST_CASE("cluster subnets: the last slice of the address space is usable", "[planner][cluster]") {
  SubnetAllocation a =
      AllocateSubnets(Space("255.255.255.0/24", 25), {{"n", "h"}}, {}, {"255.255.255.0/25"});
  CHECK(a.errors.empty());
  CHECK(a.subnets.at({"n", "h"}) == "255.255.255.128/25");
}

TEST_CASE("cluster subnets: a pair asked twice is answered once", "[planner][cluster]") {
  SubnetAllocation a = AllocateSubnets(Space(), {{"n", "h"}, {"n", "h"}, {"m", "h"}}, {}, {});
  CHECK(a.subnets.at({"n", "h"}) == "10.210.0.0/24");
  CHECK(a.subnets.at({"m", "h"}) == "10.210.1.0/24");
}

// A random request: up to 6 networks on up to 5 hosts in a space of 4 to 64
// slices, some pairs existing, some subnets taken elsewhere (of other sizes).
struct RandomRequest {
  ClusterSpace cluster;
  std::vector<NetworkOnHost> needed;
  std::map<NetworkOnHost, std::string> existing;
  std::set<std::string> taken;
};

RandomRequest MakeRandomRequest(uint32_t seed) {
  std::mt19937 random(seed);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<uint32_t>(n)); };
  RandomRequest r;
  r.cluster = Space("10.210.0.0/" + std::to_string(20 + pick(5)), 26);
  int slices = 1 << (26 - r.cluster.space.prefix);
  auto slice = [&](int i, int prefix) {
    return Ipv4Net{r.cluster.space.first + static_cast<uint32_t>(i) * 64, prefix}.ToString();
  };
  for (int n = pick(6) + 1; n > 0; --n) {
    NetworkOnHost pair{"net" + std::to_string(pick(6)), "h" + std::to_string(pick(5))};
    r.needed.push_back(pair);
    if (pick(3) == 0) r.existing[pair] = slice(pick(slices), 26);
  }
  for (int n = pick(slices); n > 0; --n) r.taken.insert(slice(pick(slices), pick(2) ? 26 : 27));
  for (const auto& [pair, subnet] : r.existing) r.taken.insert(subnet);
  return r;
}

bool Overlap(const std::string& x, const std::string& y) {
  Ipv4Net a, b;
  REQUIRE(ParseIpv4Net(x, a));
  REQUIRE(ParseIpv4Net(y, b));
  return a.first <= b.last() && b.first <= a.last();
}

// Whether every slice of the space overlaps something taken or handed out.
bool NoFreeSlice(const RandomRequest& r, const SubnetAllocation& a) {
  for (uint32_t first = r.cluster.space.first; first < r.cluster.space.last(); first += 64) {
    std::string slice = Ipv4Net{first, 26}.ToString();
    bool used = false;
    for (const std::string& other : r.taken) used = used || Overlap(slice, other);
    for (const auto& [pair, other] : a.subnets) used = used || Overlap(slice, other);
    if (!used) return false;
  }
  return true;
}

TEST_CASE("cluster subnets property: unique, existing kept, deterministic", "[planner][cluster]") {
  for (uint32_t seed = 1; seed <= 500; ++seed) {
    INFO("seed " << seed);
    RandomRequest r = MakeRandomRequest(seed);
    SubnetAllocation a = AllocateSubnets(r.cluster, r.needed, r.existing, r.taken);
    SubnetAllocation again = AllocateSubnets(r.cluster, r.needed, r.existing, r.taken);
    CHECK(a.subnets == again.subnets);
    CHECK(a.errors == again.errors);
    std::set<NetworkOnHost> distinct(r.needed.begin(), r.needed.end());
    REQUIRE(a.subnets.size() + a.errors.size() == distinct.size());
    for (const auto& [pair, subnet] : a.subnets) {
      if (auto it = r.existing.find(pair); it != r.existing.end()) {
        CHECK(subnet == it->second);
        continue;
      }
      Ipv4Net net;
      REQUIRE(ParseIpv4Net(subnet, net));
      CHECK(net.prefix == 26);
      CHECK((net.first >= r.cluster.space.first && net.last() <= r.cluster.space.last()));
      for (const std::string& other : r.taken) CHECK_FALSE(Overlap(subnet, other));
      for (const auto& [other_pair, other] : a.subnets)
        if (other_pair != pair) CHECK_FALSE(Overlap(subnet, other));
    }
    if (!a.errors.empty()) CHECK(NoFreeSlice(r, a));
  }
}

}  // namespace
}  // namespace baton::planner
