// The checks `baton hosts drain` makes before it moves anything.

#include <catch2/catch.hpp>

#include "cli/drain_command.h"

namespace baton::cli {
namespace {

transport::HostInventory Inventory() {
  transport::HostInventory inventory;
  inventory.origin = "/etc/baton.hosts.yaml";
  for (const char* name : {"lab1", "lab2", "lab3"}) {
    transport::HostConfig host;
    host.name = name;
    inventory.hosts.push_back(host);
  }
  return inventory;
}

HostReach Up(const std::string& name) { return {name, std::nullopt}; }
HostReach Down(const std::string& name) {
  return {name, Error::Unreachable("host " + name, "connection refused")};
}

TEST_CASE("drain checks: a known host passes", "[cli][drain]") {
  CHECK(CheckDrainHost(Inventory(), "lab2").ok());
}

TEST_CASE("drain checks: an unknown host names the hosts file", "[cli][drain]") {
  Status known = CheckDrainHost(Inventory(), "lab9");
  REQUIRE_FALSE(known.ok());
  CHECK(known.error().kind == Error::Kind::kNotFound);
  CHECK(known.error().ToString() ==
        "unknown host \"lab9\" (the hosts from /etc/baton.hosts.yaml are lab1, lab2, lab3)");
}

TEST_CASE("drain checks: one unreachable host of three is no obstacle", "[cli][drain]") {
  CHECK(CheckDrainReach({Up("lab1"), Up("lab2"), Down("lab3")}, "lab2").ok());
}

TEST_CASE("drain checks: the drained host must be reachable", "[cli][drain]") {
  Status reach = CheckDrainReach({Up("lab1"), Down("lab2"), Up("lab3")}, "lab2");
  REQUIRE_FALSE(reach.ok());
  CHECK(reach.error().ToString() == "host lab2: connection refused");
}

TEST_CASE("drain checks: no majority reachable is refused", "[cli][drain]") {
  Status reach = CheckDrainReach({Down("lab1"), Up("lab2"), Down("lab3")}, "lab2");
  REQUIRE_FALSE(reach.ok());
  CHECK(reach.error().kind == Error::Kind::kUnreachable);
  CHECK(reach.error().ToString() ==
        "only 1 of 3 hosts reachable; a drain writes the desired state on a majority (2):\n"
        "  host lab1: connection refused\n"
        "  host lab3: connection refused");
}

planner::ActualState Seen(bool lab3_reachable) {
  planner::ActualState actual;
  for (const char* name : {"lab1", "lab2", "lab3"}) {
    planner::HostState host;
    host.name = name;
    host.reachable = std::string(name) != "lab3" || lab3_reachable;
    actual.hosts.push_back(host);
  }
  return actual;
}

TEST_CASE("drain checks: an unreachable host the record places nothing on is fine",
          "[cli][drain]") {
  planner::DesiredRecord record;
  record.placement = {{"web", {{1, "lab1"}, {2, "lab2"}}}};
  CHECK(CheckOwnersSeen(record, Seen(false)).ok());
  record.placement["web"][3] = "lab3";
  CHECK(CheckOwnersSeen(record, Seen(true)).ok());
}

TEST_CASE("drain checks: an unreachable owner of replicas is refused", "[cli][drain]") {
  planner::DesiredRecord record;
  record.placement = {{"db", {{1, "lab3"}}}, {"web", {{1, "lab1"}, {3, "lab3"}}}};
  Status seen = CheckOwnersSeen(record, Seen(false));
  REQUIRE_FALSE(seen.ok());
  CHECK(seen.error().kind == Error::Kind::kUnreachable);
  CHECK(seen.error().ToString() ==
        "cannot see the hosts the record places these replicas on, so a drain would start them "
        "again elsewhere (bring them back or take them out of the hosts file):\n"
        "  lab3: db 1, web 3");
}

}  // namespace
}  // namespace baton::cli
