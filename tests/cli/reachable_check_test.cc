// CheckReachable: a command refuses to plan without a host it cannot see,
// and names only the remedies that command offers.

#include <catch2/catch.hpp>
#include <string>

#include "cli/apply_steps.h"

namespace baton::cli {
namespace {

planner::ActualState TwoHostsOneDown() {
  planner::ActualState actual;
  planner::HostState up;
  up.name = "lab1";
  up.reachable = true;
  planner::HostState down;
  down.name = "lab3";
  down.error = "connection refused";
  actual.hosts = {up, down};
  return actual;
}

TEST_CASE("reachable: scale's refusal names no flag scale lacks", "[cli][reachable]") {
  Status checked = CheckReachable(TwoHostsOneDown(), "scale",
                                  "bring them back or take them out of the hosts file");
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().kind == Error::Kind::kUnreachable);
  CHECK(checked.error().ToString() ==
        "cannot see every host, so scale would start the replicas they run again elsewhere "
        "(bring them back or take them out of the hosts file):\n  lab3: connection refused");
}

TEST_CASE("reachable: every host reachable passes", "[cli][reachable]") {
  planner::ActualState actual = TwoHostsOneDown();
  actual.hosts[1].reachable = true;
  CHECK(CheckReachable(actual, "up", "pass --skip-unreachable").ok());
}

}  // namespace
}  // namespace baton::cli
