#include "runtime/netd/iptables_rules.h"

#include <catch2/catch.hpp>

namespace baton::netd {
namespace {

NetdConfig Config(OverlayMode mode = OverlayMode::kAuto) {
  NetdConfig config;
  config.host = "lab1";
  config.overlay = mode;
  config.hosts = {{"lab1", "10.209.0.11"}, {"lab2", "10.209.0.12"}};
  return config;
}

TEST_CASE("iptables rules: each network admits every pair of its slices, then the cluster drops",
          "[netd][iptables]") {
  DataplaneInput input;
  input.local = {{"shop_back", "10.210.10.0/24", "10.210.10.1"},
                 {"blog_net", "10.210.3.0/24", "10.210.3.1"}};
  input.remote = {{{"lab2", "10.209.0.12"},
                   "02:ba:00:00:00:02",
                   {{"shop_back", "10.210.9.0/24", "10.210.9.1"}}}};
  CHECK(FilterRulesText(Config(), input) ==
        "*filter\n"
        ":BATON-FORWARD - [0:0]\n"
        "-A BATON-FORWARD -s 10.210.3.0/24 -d 10.210.3.0/24 -j ACCEPT\n"
        "-A BATON-FORWARD -s 10.210.9.0/24 -d 10.210.9.0/24 -j ACCEPT\n"
        "-A BATON-FORWARD -s 10.210.9.0/24 -d 10.210.10.0/24 -j ACCEPT\n"
        "-A BATON-FORWARD -s 10.210.10.0/24 -d 10.210.9.0/24 -j ACCEPT\n"
        "-A BATON-FORWARD -s 10.210.10.0/24 -d 10.210.10.0/24 -j ACCEPT\n"
        "-A BATON-FORWARD -s 10.210.0.0/16 -d 10.210.0.0/16 -j DROP\n"
        "COMMIT\n");
}

TEST_CASE("iptables rules: slices outside the cluster, malformed or this host's echo are left "
          "out",
          "[netd][iptables]") {
  DataplaneInput input;
  input.local = {{"a", "10.210.1.7/24", "10.210.1.1"}};
  input.remote = {{{"lab2", "10.209.0.12"},
                   "",
                   {{"a", "172.17.0.0/16", "172.17.0.1"}, {"a", "bogus", ""},
                    {"a", "10.210.1.0/24", "10.210.1.1"}}},
                  {{"lab1", "10.209.0.11"}, "", {{"a", "10.210.5.0/24", "10.210.5.1"}}}};
  CHECK(FilterRulesText(Config(), input) ==
        "*filter\n"
        ":BATON-FORWARD - [0:0]\n"
        "-A BATON-FORWARD -s 10.210.1.0/24 -d 10.210.1.0/24 -j ACCEPT\n"
        "-A BATON-FORWARD -s 10.210.0.0/16 -d 10.210.0.0/16 -j DROP\n"
        "COMMIT\n");
}

TEST_CASE("iptables rules: without networks only the drop remains", "[netd][iptables]") {
  CHECK(FilterRulesText(Config(), {}) ==
        "*filter\n"
        ":BATON-FORWARD - [0:0]\n"
        "-A BATON-FORWARD -s 10.210.0.0/16 -d 10.210.0.0/16 -j DROP\n"
        "COMMIT\n");
}

TEST_CASE("iptables rules: cluster traffic is exempt from masquerading", "[netd][iptables]") {
  NetdConfig config = Config();
  config.cluster = "10.77.0.0/16";
  CHECK(NatRulesText(config) ==
        "*nat\n"
        ":BATON-POSTROUTING - [0:0]\n"
        "-A BATON-POSTROUTING -s 10.77.0.0/16 -d 10.77.0.0/16 -j ACCEPT\n"
        "COMMIT\n");
}

TEST_CASE("iptables rules: the MSS clamp is there unless the overlay is never used",
          "[netd][iptables]") {
  CHECK(MangleRulesText(Config(OverlayMode::kAuto)) ==
        "*mangle\n"
        ":BATON-MANGLE - [0:0]\n"
        "-A BATON-MANGLE -o baton-vx -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS "
        "--clamp-mss-to-pmtu\n"
        "COMMIT\n");
  CHECK(MangleRulesText(Config(OverlayMode::kVxlan)) == MangleRulesText(Config()));
  CHECK(MangleRulesText(Config(OverlayMode::kRoutes)) ==
        "*mangle\n"
        ":BATON-MANGLE - [0:0]\n"
        "COMMIT\n");
}

constexpr char kNatListing[] =
    "-P PREROUTING ACCEPT\n"
    "-P POSTROUTING ACCEPT\n"
    "-N BATON-POSTROUTING\n"
    "-N DOCKER\n"
    "-A POSTROUTING -s 10.210.1.0/24 ! -o br-1 -j MASQUERADE\n"
    "-A POSTROUTING -j BATON-POSTROUTING\n"
    "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n"
    "-A POSTROUTING -j BATON-POSTROUTING\n"
    "-A BATON-POSTROUTING -s 10.210.0.0/16 -d 10.210.0.0/16 -j ACCEPT\n";

TEST_CASE("iptables listing: chains are found by their -N line only", "[netd][iptables]") {
  CHECK(ListingHasChain(kNatListing, "BATON-POSTROUTING"));
  CHECK(ListingHasChain(kNatListing, "DOCKER"));
  CHECK_FALSE(ListingHasChain(kNatListing, "BATON"));
  CHECK_FALSE(ListingHasChain(kNatListing, "POSTROUTING"));
}

TEST_CASE("iptables listing: a jump behind dockerd's rule is not first and counted twice",
          "[netd][iptables]") {
  CHECK_FALSE(JumpIsFirst(kNatListing, "POSTROUTING", "BATON-POSTROUTING"));
  CHECK(CountJumps(kNatListing, "POSTROUTING", "BATON-POSTROUTING") == 2);
  CHECK(JumpIsFirst("-N DOCKER-USER\n-A DOCKER-USER -j BATON-FORWARD\n-A DOCKER-USER -j RETURN",
                    "DOCKER-USER", "BATON-FORWARD"));
  CHECK_FALSE(JumpIsFirst("-N DOCKER-USER\n", "DOCKER-USER", "BATON-FORWARD"));
}

}  // namespace
}  // namespace baton::netd
