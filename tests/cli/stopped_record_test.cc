// The desired-state record's stopped services after `stop`, `start` and
// `restart` (cli/lifecycle_command.h StoppedAfter).

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli/lifecycle_command.h"

namespace baton::cli {
namespace {

planner::DesiredState Shop() {
  planner::DesiredState desired;
  desired.project = "shop";
  for (const char* name : {"api", "db", "web"}) {
    planner::ServiceSpec spec;
    spec.name = name;
    desired.services.push_back(spec);
  }
  return desired;
}

using Names = std::vector<std::string>;

TEST_CASE("record: stop adds the named services, sorted and once", "[cli][record]") {
  CHECK(StoppedAfter(true, Shop(), {"web"}, {"db", "web"}) == Names{"db", "web"});
}

TEST_CASE("record: stop without names stops every service of the file", "[cli][record]") {
  CHECK(StoppedAfter(true, Shop(), {}, {}) == Names{"api", "db", "web"});
}

TEST_CASE("record: start takes only the named services off", "[cli][record]") {
  CHECK(StoppedAfter(false, Shop(), {"api", "db", "web"}, {"web"}) == Names{"api", "db"});
}

TEST_CASE("record: start without names clears the list", "[cli][record]") {
  CHECK(StoppedAfter(false, Shop(), {"api", "web"}, {}).empty());
}

TEST_CASE("record: a stopped service no longer in the file is dropped", "[cli][record]") {
  CHECK(StoppedAfter(true, Shop(), {"cache"}, {"api"}) == Names{"api"});
}

}  // namespace
}  // namespace baton::cli
