// Placement with what the watcher knows beyond the engines (issue 6): the
// record's owner of a slot, volumes on unreachable hosts, drained hosts.

#include <catch2/catch.hpp>

#include "placement_fixture.h"
#include "planner/placement.h"

namespace baton::planner {
namespace {

using namespace testing;

TEST_CASE("placement: the recorded owner wins a duplicate slot", "[planner][placement][hints]") {
  ServiceSpec web = Service("web");
  std::vector<HostState> hosts = {Host("lab1"), Host("lab2")};
  hosts[0].containers = {Replica(web, 1)};  // the copy on the returning host
  hosts[1].containers = {Replica(web, 1)};  // where the watcher moved it
  ActualState actual = Actual(hosts);
  CHECK(Where(Place(Desired({web}), actual)) == "web-1@lab1");
  PlacementHints hints;
  hints.owner[{"web", 1}] = "lab2";
  CHECK(Where(Place(Desired({web}), actual, hints)) == "web-1@lab2");
}

TEST_CASE("placement: the recorded owner wins over a running copy", "[planner][placement][hints]") {
  ServiceSpec web = Service("web");
  std::vector<HostState> hosts = {Host("lab1"), Host("lab2")};
  hosts[0].containers = {Replica(web, 1)};
  hosts[1].containers = {Replica(web, 1)};
  hosts[1].containers[0].state = "created";  // the watcher's new copy, not started yet
  PlacementHints hints;
  hints.owner[{"web", 1}] = "lab2";
  CHECK(Where(Place(Desired({web}), Actual(hosts), hints)) == "web-1@lab2");
}

TEST_CASE("placement: a drained host takes nothing", "[planner][placement][hints]") {
  ServiceSpec web = Service("web", 3);
  std::vector<HostState> hosts = {Host("lab1"), Host("lab2"), Host("lab3")};
  hosts[1].drained = true;
  hosts[1].containers = {Replica(web, 2)};
  CHECK(Where(Place(Desired({web}), Actual(hosts))) == "web-1@lab1 web-2@lab3 web-3@lab1");
}

TEST_CASE("placement: a global service leaves a drained host", "[planner][placement][hints]") {
  ServiceSpec agent = Global("agent");
  std::vector<HostState> hosts = {Host("lab1"), Host("lab2")};
  hosts[0].drained = true;
  hosts[0].containers = {Replica(agent, 1)};
  CHECK(Where(Place(Desired({agent}), Actual(hosts))) == "agent-1@lab2");
}

TEST_CASE("placement: only drained hosts leave a replica unplaced", "[planner][placement][hints]") {
  std::vector<HostState> hosts = {Host("lab1"), Host("lab2")};
  hosts[0].drained = hosts[1].drained = true;
  Placement placement = Place(Desired({Service("web")}), Actual(hosts));
  REQUIRE(placement.unplaced.size() == 1);
  CHECK(placement.unplaced[0].reason == "0/2 hosts: 2 are drained");
}

TEST_CASE("placement: a drained host keeps a replica its volume pins",
          "[planner][placement][hints]") {
  ServiceSpec db = Service("db");
  db.local_volumes = {"shop_data"};
  std::vector<HostState> hosts = {Host("lab1"), Host("lab2")};
  hosts[1].drained = true;
  hosts[1].volumes = {"shop_data"};
  hosts[1].containers = {Replica(db, 1)};
  CHECK(Where(Place(Desired({db}), Actual(hosts))) == "db-1@lab2");
}

TEST_CASE("placement: a down host's volume still pins its service", "[planner][placement][hints]") {
  ServiceSpec db = Service("db");
  db.local_volumes = {"shop_data"};
  std::vector<HostState> hosts = {Host("lab1"), Host("lab2"), Host("lab3")};
  hosts[2].reachable = false;  // its volumes are unknown to the engines' view
  hosts[2].containers = {Replica(db, 1)};
  ActualState actual = Actual(hosts);
  // Without the hint a fresh, empty volume would be made elsewhere.
  CHECK(Where(Place(Desired({db}), actual)) == "db-1@lab1");
  PlacementHints hints;
  hints.volume_hosts["shop_data"] = {"lab3"};
  Placement placement = Place(Desired({db}), actual, hints);
  CHECK(placement.assignments.empty());
  REQUIRE(placement.unplaced.size() == 1);
  CHECK(placement.unplaced[0].reason ==
        "0/3 hosts: pinned to lab3 (unreachable) by volume shop_data");
}

TEST_CASE("placement: a volume hint on a reachable host does not pin",
          "[planner][placement][hints]") {
  ServiceSpec db = Service("db");
  db.local_volumes = {"shop_data"};
  std::vector<HostState> hosts = {Host("lab1"), Host("lab2")};
  PlacementHints hints;
  hints.volume_hosts["shop_data"] = {"lab2"};  // recorded, since removed on lab2
  CHECK(Where(Place(Desired({db}), Actual(hosts), hints)) == "db-1@lab1");
}

}  // namespace
}  // namespace baton::planner
