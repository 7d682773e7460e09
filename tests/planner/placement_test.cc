#include "planner/placement.h"

#include <catch2/catch.hpp>

#include "planner/placement_reason.h"
#include "tests/planner/placement_fixture.h"

namespace baton::planner {
namespace {

using namespace testing;

constexpr int64_t kGiB = int64_t{1} << 30;

std::vector<HostState> Lab() {
  return {Host("lab1", {{"zone", "a"}}), Host("lab2", {{"zone", "b"}}),
          Host("lab3", {{"zone", "a"}})};
}

TEST_CASE("placement: replicas spread over hosts in hosts-file order", "[planner][placement]") {
  Placement p = Place(Desired({Service("web", 4)}), Actual(Lab()));
  CHECK(Where(p) == "web-1@lab1 web-2@lab2 web-3@lab3 web-4@lab1");
  CHECK(p.unplaced.empty());
}

TEST_CASE("placement: assignments carry compose container names", "[planner][placement]") {
  Placement p = Place(Desired({Service("web", 2)}), Actual(Lab()));
  REQUIRE(p.assignments.size() == 2);
  CHECK(p.assignments[0].container_name == "shop-web-1");
  CHECK(p.assignments[1].container_name == "shop-web-2");
}

TEST_CASE("placement: services without reservations spread over the project's hosts",
          "[planner][placement]") {
  Placement p = Place(Desired({Service("api"), Service("db"), Service("web")}), Actual(Lab()));
  CHECK(Where(p) == "api-1@lab1 db-1@lab2 web-1@lab3");
}

TEST_CASE("placement: spread attribute spreads over its values before hosts",
          "[planner][placement]") {
  ServiceSpec web = Service("web", 3);
  web.spread = {"node.labels.zone"};
  // lab1 and lab3 share zone a, so the second replica goes to zone b.
  CHECK(Where(Place(Desired({web}), Actual(Lab()))) == "web-1@lab1 web-2@lab2 web-3@lab3");
  std::vector<HostState> hosts = {Host("h1", {{"zone", "a"}}), Host("h2", {{"zone", "a"}}),
                                  Host("h3", {{"zone", "b"}})};
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@h1 web-2@h3 web-3@h2");
}

TEST_CASE("placement: label constraint limits the hosts", "[planner][placement]") {
  ServiceSpec web = Service("web", 3);
  web.constraints = {Rule("node.labels.zone", true, "a")};
  CHECK(Where(Place(Desired({web}), Actual(Lab()))) == "web-1@lab1 web-2@lab3 web-3@lab1");
}

TEST_CASE("placement: != constraint accepts a host without the label", "[planner][placement]") {
  ServiceSpec web = Service("web", 2);
  web.constraints = {Rule("node.labels.disk", false, "hdd")};
  std::vector<HostState> hosts = {Host("h1", {{"disk", "hdd"}}), Host("h2"),
                                  Host("h3", {{"disk", "ssd"}})};
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@h2 web-2@h3");
}

TEST_CASE("placement: node.hostname matches the hosts-file name or the engine hostname",
          "[planner][placement]") {
  ServiceSpec a = Service("a");
  a.constraints = {Rule("node.hostname", true, "lab2")};
  ServiceSpec b = Service("b");
  b.constraints = {Rule("node.hostname", true, "lab3.engine")};
  CHECK(Where(Place(Desired({a, b}), Actual(Lab()))) == "a-1@lab2 b-1@lab3");
}

TEST_CASE("placement: arch constraint takes Go and kernel names alike", "[planner][placement]") {
  std::vector<HostState> hosts = Lab();
  hosts[0].arch = "aarch64";
  ServiceSpec amd = Service("amd", 2);
  amd.constraints = {Rule("node.platform.arch", true, "amd64")};
  ServiceSpec arm = Service("arm");
  arm.constraints = {Rule("node.platform.arch", true, "arm64"),
                     Rule("node.platform.os", true, "linux")};
  CHECK(Where(Place(Desired({amd, arm}), Actual(hosts))) == "amd-1@lab2 amd-2@lab3 arm-1@lab1");
}

TEST_CASE("placement: a running replica stays where it is", "[planner][placement]") {
  ServiceSpec web = Service("web", 2);
  std::vector<HostState> hosts = Lab();
  hosts[2].containers = {Replica(web, 1)};
  hosts[1].containers = {Replica(web, 2)};
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@lab3 web-2@lab2");
}

TEST_CASE("placement: a stopped replica with an old spec keeps its host", "[planner][placement]") {
  ServiceSpec web = Service("web", 1);
  std::vector<HostState> hosts = Lab();
  hosts[1].containers = {Replica(web, 1)};
  hosts[1].containers[0].state = "exited";
  hosts[1].containers[0].spec_hash = "old";
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@lab2");
}

TEST_CASE("placement: a replica that no longer fits its host moves", "[planner][placement]") {
  ServiceSpec web = Service("web", 1);
  std::vector<HostState> hosts = Lab();
  hosts[1].containers = {Replica(web, 1)};
  web.constraints = {Rule("node.labels.zone", true, "a")};
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@lab1");
}

TEST_CASE("placement: the slot of a replica on an unreachable host is placed elsewhere",
          "[planner][placement]") {
  ServiceSpec web = Service("web", 2);
  std::vector<HostState> hosts = Lab();
  hosts[0].containers = {Replica(web, 1)};
  hosts[1].containers = {Replica(web, 2)};
  hosts[0].reachable = false;
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@lab3 web-2@lab2");
}

TEST_CASE("placement: slots beyond the replica count are not kept", "[planner][placement]") {
  ServiceSpec web = Service("web", 3);
  std::vector<HostState> hosts = Lab();
  for (int slot = 1; slot <= 3; ++slot) hosts[slot - 1].containers = {Replica(web, slot)};
  web.replicas = 1;
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@lab1");
}

TEST_CASE("placement: of two containers of one slot the running one is kept",
          "[planner][placement]") {
  ServiceSpec web = Service("web", 1);
  std::vector<HostState> hosts = Lab();
  hosts[0].containers = {Replica(web, 1)};
  hosts[0].containers[0].state = "exited";
  hosts[2].containers = {Replica(web, 1)};
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@lab3");
}

TEST_CASE("placement: max_replicas_per_node caps a host", "[planner][placement]") {
  ServiceSpec web = Service("web", 3);
  web.max_replicas_per_node = 1;
  std::vector<HostState> hosts = {Host("h1"), Host("h2")};
  Placement p = Place(Desired({web}), Actual(hosts));
  CHECK(Where(p) == "web-1@h1 web-2@h2");
  REQUIRE(p.unplaced.size() == 1);
  CHECK(p.unplaced[0].slot == 3);
  CHECK(p.unplaced[0].reason == "0/2 hosts: 2 already run 1 replica (max_replicas_per_node 1)");
}

TEST_CASE("placement: published ports never collide on one host", "[planner][placement]") {
  ServiceSpec web = Service("web", 3);
  web.published_ports = {{"", 80, "tcp"}};
  std::vector<HostState> hosts = {Host("h1"), Host("h2"), Host("h3")};
  hosts[2].ports_used_elsewhere = {{"tcp", 80}};
  Placement p = Place(Desired({web}), Actual(hosts));
  CHECK(Where(p) == "web-1@h1 web-2@h2");
  REQUIRE(p.unplaced.size() == 1);
  CHECK(p.unplaced[0].reason ==
        "0/3 hosts: 2 already publish tcp port 80, 1 has tcp port 80 taken by another project");
}

TEST_CASE("placement: an all-addresses port collides with one on a single address",
          "[planner][placement]") {
  ServiceSpec api = Service("api");
  api.published_ports = {{"", 80, "udp"}, {"127.0.0.1", 80, "tcp"}};
  ServiceSpec web = Service("web", 1);
  web.published_ports = {{"", 80, "tcp"}};
  std::vector<HostState> hosts = {Host("h1"), Host("h2")};
  hosts[1].ports_used_elsewhere = {{"udp", 80}};
  CHECK(Where(Place(Desired({api, web}), Actual(hosts))) == "api-1@h1 web-1@h2");
}

TEST_CASE("placement: ports on different addresses share a host", "[planner][placement]") {
  ServiceSpec a = Service("a");
  a.published_ports = {{"10.0.0.1", 53, "udp"}};
  ServiceSpec b = Service("b");
  b.published_ports = {{"10.0.0.2", 53, "udp"}};
  b.affinity = {"a"};
  CHECK(Where(Place(Desired({a, b}), Actual({Host("h1"), Host("h2")}))) == "a-1@h1 b-1@h1");
}

TEST_CASE("placement: unplaced reason groups hosts, most first", "[planner][placement]") {
  ServiceSpec db = Service("db");
  db.reserved_memory = 2 * kGiB;
  db.constraints = {Rule("node.labels.zone", true, "eu")};
  std::vector<HostState> hosts = {Host("h1", {{"zone", "eu"}}), Host("h2", {{"zone", "eu"}}),
                                  Host("h3", {{"zone", "us"}})};
  hosts[0].memory = 4 * kGiB;
  hosts[0].reserved_memory_elsewhere = 3 * kGiB;
  hosts[1].memory = 4 * kGiB;
  hosts[1].reserved_memory_elsewhere = 4 * kGiB - kGiB * 11 / 10;
  Placement p = Place(Desired({db}), Actual(hosts));
  REQUIRE(p.unplaced.size() == 1);
  CHECK(p.unplaced[0].service == "db");
  CHECK(p.unplaced[0].slot == 1);
  CHECK(
      p.unplaced[0].reason ==
      "0/3 hosts: 2 lack memory (need 2 GiB, free 1.1 GiB), 1 does not match node.labels.zone==eu");
}

TEST_CASE("placement: unplaced reason orders equal counts by text", "[planner][placement]") {
  ServiceSpec web = Service("web");
  web.reserved_cpus = 2;
  std::vector<HostState> hosts = {Host("h1"), Host("h2")};
  hosts[0].reachable = false;
  hosts[1].cpus = 4;
  hosts[1].reserved_cpus_elsewhere = 3.5;
  Placement p = Place(Desired({web}), Actual(hosts));
  REQUIRE(p.unplaced.size() == 1);
  CHECK(p.unplaced[0].reason == "0/2 hosts: 1 is unreachable, 1 lacks cpus (need 2, free 0.5)");
}

TEST_CASE("placement: every slot left shares the reason", "[planner][placement]") {
  Placement p = Place(Desired({Service("web", 2)}), Actual({}));
  REQUIRE(p.unplaced.size() == 2);
  CHECK(p.unplaced[0].reason == "0/0 hosts");
  CHECK(p.unplaced[1].slot == 2);
}

TEST_CASE("placement: reservations stay within capacity", "[planner][placement]") {
  ServiceSpec web = Service("web", 3);
  web.reserved_cpus = 1;
  web.reserved_memory = kGiB;
  std::vector<HostState> hosts = {Host("h1"), Host("h2")};
  hosts[0].cpus = 2;
  hosts[0].memory = 8 * kGiB;
  hosts[1].cpus = 8;
  hosts[1].memory = kGiB;
  Placement p = Place(Desired({web}), Actual(hosts));
  CHECK(Where(p) == "web-1@h1 web-2@h2 web-3@h1");
  CHECK(p.unplaced.size() == 0);
}

TEST_CASE("placement: a host reporting no capacity is not limited", "[planner][placement]") {
  ServiceSpec web = Service("web", 2);
  web.reserved_cpus = 64;
  web.reserved_memory = 64 * kGiB;
  CHECK(Where(Place(Desired({web}), Actual({Host("h1")}))) == "web-1@h1 web-2@h1");
}

TEST_CASE("placement: the least reserved host wins a tie", "[planner][placement]") {
  ServiceSpec web = Service("web");
  web.reserved_cpus = 1;
  std::vector<HostState> hosts = {Host("h1"), Host("h2")};
  hosts[0].cpus = 4;
  hosts[0].reserved_cpus_elsewhere = 2;
  hosts[1].cpus = 4;
  hosts[1].reserved_cpus_elsewhere = 1;
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@h2");
}

TEST_CASE("placement: a local volume pins the service to the host that holds it",
          "[planner][placement]") {
  ServiceSpec db = Service("db", 2);
  db.local_volumes = {"shop_data", "shop_new"};
  std::vector<HostState> hosts = Lab();
  hosts[1].volumes = {"shop_data"};
  CHECK(Where(Place(Desired({db}), Actual(hosts))) == "db-1@lab2 db-2@lab2");
  hosts[1].reachable = false;
  hosts[2].volumes = {"shop_data"};
  Placement p = Place(Desired({db, Service("other")}), Actual(hosts));
  CHECK(Where(p) == "db-1@lab3 db-2@lab3 other-1@lab1");
}

TEST_CASE("placement: volume pinning explains the hosts without the volume",
          "[planner][placement]") {
  ServiceSpec db = Service("db");
  db.local_volumes = {"shop_data"};
  db.max_replicas_per_node = 0;
  std::vector<HostState> hosts = Lab();
  hosts[1].volumes = {"shop_data"};
  Placement p = Place(Desired({db}), Actual(hosts));
  REQUIRE(p.unplaced.size() == 1);
  CHECK(p.unplaced[0].reason ==
        "0/3 hosts: 2 do not hold volume shop_data, "
        "1 already runs 0 replicas (max_replicas_per_node 0)");
}

TEST_CASE("placement: affinity places a service beside the one it names", "[planner][placement]") {
  ServiceSpec api = Service("api", 2);
  api.affinity = {"db"};
  ServiceSpec db = Service("db");
  db.constraints = {Rule("node.hostname", true, "lab2")};
  CHECK(Where(Place(Desired({api, db}), Actual(Lab()))) == "api-1@lab2 api-2@lab2 db-1@lab2");
}

TEST_CASE("placement: affinity to a service placed nowhere is explained", "[planner][placement]") {
  ServiceSpec api = Service("api");
  api.affinity = {"db"};
  ServiceSpec db = Service("db", 0);
  Placement p = Place(Desired({api, db}), Actual(Lab()));
  REQUIRE(p.unplaced.size() == 1);
  CHECK(p.unplaced[0].reason == "0/3 hosts: 3 do not run db (affinity)");
}

TEST_CASE("placement: anti-affinity holds whichever service comes first", "[planner][placement]") {
  ServiceSpec a = Service("a", 2);
  ServiceSpec b = Service("b", 1);
  b.anti_affinity = {"a"};
  CHECK(Where(Place(Desired({a, b}), Actual(Lab()))) == "a-1@lab1 a-2@lab2 b-1@lab3");
  ServiceSpec z = Service("z", 2);
  z.anti_affinity = {"b"};
  Placement p = Place(Desired({Service("b", 3), z}), Actual(Lab()));
  REQUIRE(p.unplaced.size() == 2);
  CHECK(p.unplaced[0].reason == "0/3 hosts: 3 run b (anti_affinity)");
}

TEST_CASE("placement: a global service gets one replica per eligible host",
          "[planner][placement]") {
  ServiceSpec agent = Global("agent");
  agent.constraints = {Rule("node.labels.zone", true, "a")};
  CHECK(Where(Place(Desired({agent}), Actual(Lab()))) == "agent-1@lab1 agent-2@lab3");
}

TEST_CASE("placement: global replicas keep their slots and new hosts take the lowest free",
          "[planner][placement]") {
  ServiceSpec agent = Global("agent");
  std::vector<HostState> hosts = Lab();
  hosts.push_back(Host("lab4"));
  hosts[1].containers = {Replica(agent, 1), Replica(agent, 4)};
  hosts[2].containers = {Replica(agent, 2)};
  hosts[3].containers = {Replica(agent, 3)};
  hosts[3].reachable = false;
  CHECK(Where(Place(Desired({agent}), Actual(hosts))) == "agent-1@lab2 agent-2@lab3 agent-4@lab1");
}

TEST_CASE("placement: a global service that fits nowhere is unplaced", "[planner][placement]") {
  ServiceSpec agent = Global("agent");
  agent.constraints = {Rule("node.platform.os", true, "windows")};
  Placement p = Place(Desired({agent}), Actual(Lab()));
  CHECK(p.assignments.empty());
  REQUIRE(p.unplaced.size() == 1);
  CHECK(p.unplaced[0].reason == "0/3 hosts: 3 do not match node.platform.os==windows");
}

TEST_CASE("placement: global services claim hosts before replicated ones", "[planner][placement]") {
  ServiceSpec agent = Global("agent");
  agent.reserved_memory = kGiB;
  ServiceSpec app = Service("app", 2);
  app.reserved_memory = kGiB;
  std::vector<HostState> hosts = {Host("h1"), Host("h2")};
  hosts[0].memory = 2 * kGiB;
  hosts[1].memory = kGiB;
  Placement p = Place(Desired({agent, app}), Actual(hosts));
  CHECK(Where(p) == "agent-1@h1 agent-2@h2 app-1@h1");
  REQUIRE(p.unplaced.size() == 1);
  CHECK(p.unplaced[0].reason == "0/2 hosts: 2 lack memory (need 1 GiB, free 0 B)");
}

TEST_CASE("placement: the same input gives the same placement", "[planner][placement]") {
  ServiceSpec web = Service("web", 5);
  web.spread = {"node.labels.zone"};
  DesiredState desired = Desired({web, Service("api", 3)});
  ActualState actual = Actual(Lab());
  CHECK(Where(Place(desired, actual)) == Where(Place(desired, actual)));
}

TEST_CASE("placement: byte amounts show binary units, free rounded down, need up",
          "[planner][placement]") {
  CHECK(FormatBytes(2 * kGiB, Rounding::kUp) == "2 GiB");
  CHECK(FormatBytes(kGiB * 11 / 10, Rounding::kDown) == "1.1 GiB");
  CHECK(FormatBytes(kGiB * 199 / 100, Rounding::kDown) == "1.9 GiB");
  CHECK(FormatBytes(kGiB * 101 / 100, Rounding::kUp) == "1.1 GiB");
  CHECK(FormatBytes(512 << 20, Rounding::kDown) == "512 MiB");
  CHECK(FormatBytes(100, Rounding::kDown) == "100 B");
  CHECK(FormatBytes(-5, Rounding::kDown) == "0 B");
}

TEST_CASE("placement: cpu amounts show two decimals at most", "[planner][placement]") {
  CHECK(FormatCpus(2, Rounding::kUp) == "2");
  CHECK(FormatCpus(0.5, Rounding::kDown) == "0.5");
  CHECK(FormatCpus(1.0 / 3, Rounding::kDown) == "0.33");
  CHECK(FormatCpus(1.0 / 3, Rounding::kUp) == "0.34");
  CHECK(FormatCpus(0.1 + 0.2, Rounding::kUp) == "0.3");
  CHECK(FormatCpus(-1, Rounding::kDown) == "0");
}

}  // namespace
}  // namespace baton::planner
