#include "runtime/netd/routes.h"

#include <catch2/catch.hpp>

namespace baton::netd {
namespace {

NetdConfig Config(OverlayMode mode) {
  NetdConfig config;
  config.host = "lab1";
  config.overlay = mode;
  config.hosts = {{"lab1", "10.209.0.11"}, {"lab2", "10.209.0.12"}, {"lab3", "10.209.0.13"}};
  return config;
}

RemoteHost Remote(const std::string& name, const std::string& address, const std::string& mac,
                  std::vector<HostNetwork> networks) {
  return RemoteHost{{name, address}, mac, std::move(networks)};
}

DataplaneInput TwoPeers() {
  DataplaneInput input;
  input.local = {{"shop_back", "10.210.1.0/24", "10.210.1.1"}};
  input.remote = {
      Remote("lab3", "10.209.0.13", "02:ba:00:00:00:03",
             {{"shop_back", "10.210.10.0/24", "10.210.10.1"}}),
      Remote("lab2", "10.209.0.12", "02:ba:00:00:00:02",
             {{"shop_back", "10.210.2.0/24", "10.210.2.1"},
              {"shop_front", "10.210.9.0/24", "10.210.9.1"}}),
  };
  return input;
}

TEST_CASE("dataplane plan: routes mode routes every remote slice via its host, by address",
          "[netd][routes]") {
  DataplanePlan plan = PlanDataplane(Config(OverlayMode::kRoutes), TwoPeers(), {});
  CHECK(plan.routes == std::vector<Route>{{"10.210.2.0/24", "10.209.0.12", "", false},
                                          {"10.210.9.0/24", "10.209.0.12", "", false},
                                          {"10.210.10.0/24", "10.209.0.13", "", false}});
  CHECK(plan.fdb.empty());
  CHECK(plan.neighbours.empty());
  CHECK(plan.paths == std::map<std::string, PeerPath>{{"lab2", PeerPath::kRoutes},
                                                      {"lab3", PeerPath::kRoutes}});
}

TEST_CASE("dataplane plan: vxlan mode routes through the overlay with fdb and neighbours",
          "[netd][routes]") {
  DataplanePlan plan = PlanDataplane(Config(OverlayMode::kVxlan), TwoPeers(), {});
  CHECK(plan.routes == std::vector<Route>{{"10.210.2.0/24", "10.210.2.1", "baton-vx", true},
                                          {"10.210.9.0/24", "10.210.9.1", "baton-vx", true},
                                          {"10.210.10.0/24", "10.210.10.1", "baton-vx", true}});
  CHECK(plan.fdb == std::vector<FdbEntry>{{"02:ba:00:00:00:02", "10.209.0.12"},
                                          {"02:ba:00:00:00:03", "10.209.0.13"}});
  CHECK(plan.neighbours == std::vector<NeighbourEntry>{{"10.210.2.1", "02:ba:00:00:00:02"},
                                                       {"10.210.9.1", "02:ba:00:00:00:02"},
                                                       {"10.210.10.1", "02:ba:00:00:00:03"}});
}

TEST_CASE("dataplane plan: auto mode routes on-link peers and tunnels the others",
          "[netd][routes]") {
  DataplanePlan plan = PlanDataplane(Config(OverlayMode::kAuto), TwoPeers(),
                                     {{"10.209.0.12", true}, {"10.209.0.13", false}});
  CHECK(plan.paths == std::map<std::string, PeerPath>{{"lab2", PeerPath::kRoutes},
                                                      {"lab3", PeerPath::kVxlan}});
  CHECK(plan.routes == std::vector<Route>{{"10.210.2.0/24", "10.209.0.12", "", false},
                                          {"10.210.9.0/24", "10.209.0.12", "", false},
                                          {"10.210.10.0/24", "10.210.10.1", "baton-vx", true}});
  CHECK(plan.fdb == std::vector<FdbEntry>{{"02:ba:00:00:00:03", "10.209.0.13"}});
}

TEST_CASE("dataplane plan: auto mode without a probe counts the peer as off-link",
          "[netd][routes]") {
  DataplanePlan plan = PlanDataplane(Config(OverlayMode::kAuto), TwoPeers(), {});
  CHECK(plan.paths == std::map<std::string, PeerPath>{{"lab2", PeerPath::kVxlan},
                                                      {"lab3", PeerPath::kVxlan}});
}

TEST_CASE("dataplane plan: an overlay peer without a MAC is not routed yet", "[netd][routes]") {
  DataplaneInput input = TwoPeers();
  input.remote[0].vxlan_mac = "";
  DataplanePlan plan = PlanDataplane(Config(OverlayMode::kVxlan), input, {});
  CHECK(plan.paths == std::map<std::string, PeerPath>{{"lab2", PeerPath::kVxlan}});
  CHECK(plan.routes.size() == 2);
  CHECK(plan.fdb == std::vector<FdbEntry>{{"02:ba:00:00:00:02", "10.209.0.12"}});
}

TEST_CASE("dataplane plan: slices outside the cluster, with a bad gateway or already held are "
          "skipped",
          "[netd][routes]") {
  DataplaneInput input;
  input.local = {{"a", "10.210.1.0/24", "10.210.1.1"}};
  input.remote = {
      Remote("lab2", "10.209.0.12", "02:ba:00:00:00:02",
             {{"a", "10.210.1.0/24", "10.210.1.1"},      // this host's own slice
              {"b", "192.168.5.0/24", "192.168.5.1"},    // outside the cluster
              {"c", "10.0.0.0/8", "10.0.0.1"},           // wider than the cluster
              {"d", "10.210.4.0/24", "10.210.5.1"},      // gateway elsewhere
              {"e", "10.210.6.0/24", "nonsense"},        // no gateway
              {"f", "10.210.7.0/24", "10.210.7.1"}}),    // fine
      Remote("lab3", "10.209.0.13", "02:ba:00:00:00:03",
             {{"f", "10.210.7.0/24", "10.210.7.1"}}),    // lab2 has it already
  };
  DataplanePlan plan = PlanDataplane(Config(OverlayMode::kRoutes), input, {});
  CHECK(plan.routes == std::vector<Route>{{"10.210.7.0/24", "10.209.0.12", "", false}});
}

TEST_CASE("dataplane plan: this host's own announcement adds nothing", "[netd][routes]") {
  DataplaneInput input;
  input.remote = {Remote("lab1", "10.209.0.11", "02:ba:00:00:00:01",
                         {{"a", "10.210.3.0/24", "10.210.3.1"}})};
  DataplanePlan plan = PlanDataplane(Config(OverlayMode::kVxlan), input, {});
  CHECK(plan.routes.empty());
  CHECK(plan.fdb.empty());
  CHECK(plan.paths.empty());
}

TEST_CASE("dataplane plan: overlay MAC is locally administered and stable per host",
          "[netd][routes]") {
  CHECK(VxlanMacFor("lab1") == VxlanMacFor("lab1"));
  CHECK(VxlanMacFor("lab1") != VxlanMacFor("lab2"));
  CHECK(VxlanMacFor("lab1").rfind("02:ba:", 0) == 0);
  CHECK(VxlanMacFor("lab1").size() == 17);
}

TEST_CASE("route listing: ip -j output is read with device and onlink", "[netd][routes]") {
  auto routes = ParseRouteListing(
      R"([{"dst":"10.210.2.0/24","gateway":"10.209.0.12","dev":"eth0","flags":[]},)"
      R"({"dst":"10.210.3.0/24","gateway":"10.210.3.1","dev":"baton-vx","flags":["onlink"]},)"
      R"({"dst":"10.210.4.9","gateway":"10.209.0.13","dev":"eth0","flags":[]}])");
  REQUIRE(routes.ok());
  CHECK(*routes == std::vector<Route>{{"10.210.2.0/24", "10.209.0.12", "eth0", false},
                                      {"10.210.3.0/24", "10.210.3.1", "baton-vx", true},
                                      {"10.210.4.9/32", "10.209.0.13", "eth0", false}});
}

TEST_CASE("route listing: empty output is no routes, garbage an error", "[netd][routes]") {
  CHECK(ParseRouteListing("\n")->empty());
  auto bad = ParseRouteListing("Error: something");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().ToString() == "unreadable route listing");
}

TEST_CASE("route listing: a route matches regardless of the device the kernel chose",
          "[netd][routes]") {
  Route want{"10.210.2.0/24", "10.209.0.12", "", false};
  CHECK(RouteMatches(want, {"10.210.2.0/24", "10.209.0.12", "eth0", false}));
  CHECK_FALSE(RouteMatches(want, {"10.210.2.0/24", "10.209.0.13", "eth0", false}));
  Route overlay{"10.210.2.0/24", "10.210.2.1", "baton-vx", true};
  CHECK_FALSE(RouteMatches(overlay, {"10.210.2.0/24", "10.210.2.1", "eth0", true}));
  CHECK_FALSE(RouteMatches(overlay, {"10.210.2.0/24", "10.210.2.1", "baton-vx", false}));
}

TEST_CASE("route listing: replace command names device and onlink only when wanted",
          "[netd][routes]") {
  CHECK(RouteReplaceCommand({"10.210.2.0/24", "10.209.0.12", "", false}) ==
        std::vector<std::string>{"ip", "route", "replace", "10.210.2.0/24", "via",
                                 "10.209.0.12", "proto", "186"});
  CHECK(RouteReplaceCommand({"10.210.2.0/24", "10.210.2.1", "baton-vx", true}) ==
        std::vector<std::string>{"ip", "route", "replace", "10.210.2.0/24", "via", "10.210.2.1",
                                 "dev", "baton-vx", "onlink", "proto", "186"});
}

TEST_CASE("overlay listing: fdb and permanent IPv4 neighbours are read", "[netd][routes]") {
  auto fdb = ParseFdbListing(
      R"([{"mac":"02:ba:00:00:00:02","dst":"10.209.0.12","flags":["self"],"state":"permanent"}])");
  REQUIRE(fdb.ok());
  CHECK(*fdb == std::vector<FdbEntry>{{"02:ba:00:00:00:02", "10.209.0.12"}});
  auto neighbours = ParseNeighbourListing(
      R"([{"dst":"10.210.3.1","lladdr":"02:ba:00:00:00:02","state":["PERMANENT"]},)"
      R"({"dst":"10.210.4.1","lladdr":"02:ba:00:00:00:03","state":["REACHABLE"]},)"
      R"({"dst":"fe80::1","lladdr":"02:ba:00:00:00:03","state":["PERMANENT"]}])");
  REQUIRE(neighbours.ok());
  CHECK(*neighbours == std::vector<NeighbourEntry>{{"10.210.3.1", "02:ba:00:00:00:02"}});
}

TEST_CASE("route probe: a peer is on-link when ip route get names no gateway",
          "[netd][routes]") {
  CHECK(RouteGetIsOnLink("10.209.0.12 dev eth0 src 10.209.0.11 uid 0 \n    cache \n"));
  CHECK_FALSE(RouteGetIsOnLink("10.209.1.12 via 10.209.0.1 dev eth0 src 10.209.0.11 uid 0 \n"));
}

}  // namespace
}  // namespace baton::netd
