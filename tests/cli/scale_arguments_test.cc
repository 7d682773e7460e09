// `baton scale` arguments: parsing SERVICE=COUNT, which services may be
// scaled, and what a request sets in the record and the desired state.

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "cli/scale_command.h"

namespace baton::cli {
namespace {

planner::DesiredState Shop() {
  planner::DesiredState desired;
  desired.project = "shop";
  for (const char* name : {"agent", "api", "web"}) {
    planner::ServiceSpec spec;
    spec.name = name;
    spec.replicas = 2;
    desired.services.push_back(spec);
  }
  desired.services[0].global = true;
  planner::AutoscalePolicy policy;
  policy.min = 2;
  policy.max = 10;
  desired.services[1].autoscale = policy;
  return desired;
}

std::string ParseError(const std::vector<std::string>& arguments) {
  auto parsed = ParseScaleArguments(arguments);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == Error::Kind::kInvalid);
  return parsed.error().ToString();
}

TEST_CASE("scale: SERVICE=COUNT arguments parse in the order given", "[cli][scale]") {
  auto parsed = ParseScaleArguments({"web=5", "api=0", "db=256"});
  REQUIRE(parsed.ok());
  CHECK(*parsed == std::vector<ScaleRequest>{{"web", 5}, {"api", 0}, {"db", 256}});
}

TEST_CASE("scale: an argument without a service and '=' is refused", "[cli][scale]") {
  CHECK(ParseError({"web"}) == "invalid argument \"web\": use SERVICE=COUNT, as in web=3");
  CHECK(ParseError({"=3"}) == "invalid argument \"=3\": use SERVICE=COUNT, as in web=3");
}

TEST_CASE("scale: a count outside 0..256 or not a whole number is refused", "[cli][scale]") {
  CHECK(ParseError({"web=257"}) ==
        "invalid count in \"web=257\": use a whole number from 0 to 256");
  CHECK(ParseError({"web=-1"}) == "invalid count in \"web=-1\": use a whole number from 0 to 256");
  CHECK(ParseError({"web="}) == "invalid count in \"web=\": use a whole number from 0 to 256");
  CHECK(ParseError({"web=2.5"}) ==
        "invalid count in \"web=2.5\": use a whole number from 0 to 256");
  CHECK(ParseError({"web=0001"}) ==
        "invalid count in \"web=0001\": use a whole number from 0 to 256");
}

TEST_CASE("scale: a service named twice is refused", "[cli][scale]") {
  CHECK(ParseError({"web=1", "api=2", "web=3"}) == "web is given twice");
}

TEST_CASE("scale: an unknown service is refused", "[cli][scale]") {
  Status checked = CheckScaleRequests(Shop(), {{"web", 3}, {"cache", 1}});
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().kind == Error::Kind::kNotFound);
  CHECK(checked.error().ToString() == "no such service \"cache\"");
}

TEST_CASE("scale: a global service is refused", "[cli][scale]") {
  Status checked = CheckScaleRequests(Shop(), {{"agent", 3}});
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().ToString() ==
        "agent is a global service (one replica per host); it cannot be scaled");
}

TEST_CASE("scale: an autoscaled service names its bounds and where to change them",
          "[cli][scale]") {
  Status checked = CheckScaleRequests(Shop(), {{"api", 3}});
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().ToString() ==
        "api is autoscaled (min 2, max 10); change x-baton.autoscale in the compose file");
}

TEST_CASE("scale: a replicated service may be scaled to any count in range", "[cli][scale]") {
  CHECK(CheckScaleRequests(Shop(), {{"web", 0}, {"web", 256}}).ok());
}

TEST_CASE("scale: a request keeps the recorded file count and says who scaled",
          "[cli][scale]") {
  planner::DesiredState desired = Shop();
  std::map<std::string, planner::ServiceScale> scale;
  scale["web"] = {2, 1, planner::ScaleSource::kFile, ""};
  ApplyScaleRequests({{"web", 5}}, "alice@laptop pid 42", scale, desired);
  CHECK(scale["web"] == planner::ServiceScale{5, 1, planner::ScaleSource::kScale,
                                              "baton scale web=5 by alice@laptop pid 42"});
  CHECK(desired.FindService("web")->replicas == 5);
  CHECK(desired.FindService("api")->replicas == 2);
}

TEST_CASE("scale: a service the record has no count for takes its file count",
          "[cli][scale]") {
  planner::DesiredState desired = Shop();
  std::map<std::string, planner::ServiceScale> scale;
  ApplyScaleRequests({{"web", 0}}, "bob@ci pid 7", scale, desired);
  CHECK(scale["web"] == planner::ServiceScale{0, 2, planner::ScaleSource::kScale,
                                              "baton scale web=0 by bob@ci pid 7"});
  CHECK(desired.FindService("web")->replicas == 0);
}

}  // namespace
}  // namespace baton::cli
