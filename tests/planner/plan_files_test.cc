#include <catch2/catch.hpp>

#include "planner/plan.h"
#include "tests/planner/content_fixture.h"

namespace baton::planner {
namespace {

using namespace testing;

TEST_CASE("plan files: copies go only to hosts that run a service using them, before it",
          "[planner][files]") {
  Stack s = CopiedFiles();
  CHECK(Describe(Up(s.desired, s.actual)) ==
        "0 lab1 create-network shop_default\n"
        "1 lab1 pull img/web\n"
        "2 lab1 upload-files conf1 (config conf1)\n"
        "3 lab1 upload-files site1 (./site1)\n"
        "4 lab1 create shop-web-1 after 0,1,2,3\n"
        "5 lab2 create-network shop_default\n"
        "6 lab2 pull img/web\n"
        "7 lab2 upload-files conf1 (config conf1)\n"
        "8 lab2 upload-files site1 (./site1)\n"
        "9 lab2 create shop-web-2 after 5,6,7,8\n"
        "10 lab3 create-network shop_default\n"
        "11 lab3 pull img/worker\n"
        "12 lab3 upload-files conf1 (config conf1)\n"
        "13 lab3 create shop-worker-1 after 10,11,12\n");
}

TEST_CASE("plan files: a complete copy is not uploaded again, an incomplete one is",
          "[planner][files]") {
  Stack s = CopiedFiles();
  ActualState actual = Converged(s);
  CHECK(Up(s.desired, actual).empty());
  HostNamed(actual, "lab2")->file_copies["site1"] = {false, true};
  CHECK(Describe(Up(s.desired, actual)) == "0 lab2 upload-files site1 (./site1)\n");
}

TEST_CASE("plan files: a stopped replica is started after its missing copy is uploaded",
          "[planner][files]") {
  Stack s = CopiedFiles();
  ActualState actual = Converged(s);
  HostNamed(actual, "lab3")->containers[0].state = "exited";
  HostNamed(actual, "lab3")->containers[0].exit_code = 1;
  HostNamed(actual, "lab3")->file_copies.clear();
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab3 upload-files conf1 (config conf1)\n"
        "1 lab3 start shop-worker-1 after 0\n");
}

TEST_CASE("plan files: the old copy is removed after the recreate that dropped it",
          "[planner][files]") {
  Stack s = CopiedFiles();
  ActualState actual = Converged(s);
  ServiceSpec& web = s.desired.services[0];
  web.content.copies[0].digest = "site2";
  web.spec_hash = "hash-web-site2";
  web.part_hashes["volumes"] = "v-site2";
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab1 upload-files site2 (./site1)\n"
        "1 lab1 recreate shop-web-1 (volumes changed) after 0\n"
        "2 lab1 remove-files site1 (no container uses it) after 1\n"
        "3 lab2 upload-files site2 (./site1)\n"
        "4 lab2 recreate shop-web-2 (volumes changed) after 3\n"
        "5 lab2 remove-files site1 (no container uses it) after 4\n");
}

TEST_CASE("plan files: a copy still mounted by a container outside the scope stays",
          "[planner][files]") {
  Stack s = CopiedFiles();
  ActualState actual = Converged(s);
  // worker moves its config to conf2; web, outside the scope, still mounts conf1.
  ServiceSpec& worker = s.desired.services[1];
  worker.content.copies[0].digest = "conf2";
  worker.spec_hash = "hash-worker-conf2";
  UpOptions options;
  options.services = {"worker"};
  HostNamed(actual, "lab3")->containers.push_back(Replica(s.desired.services[0], 3));
  CHECK(Describe(Up(s.desired, actual, options)) ==
        "0 lab3 upload-files conf2 (config conf1)\n"
        "1 lab3 recreate shop-worker-1 (configuration changed) after 0\n");
}

TEST_CASE("plan files: the copies of a scaled-down replica go after it", "[planner][files]") {
  Stack s = CopiedFiles();
  ActualState actual = Converged(s);
  s.desired.services[0].replicas = 1;
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab2 remove shop-web-2 (scaled down)\n"
        "1 lab2 remove-files conf1 (no container uses it) after 0\n"
        "2 lab2 remove-files site1 (no container uses it) after 0\n");
}

TEST_CASE("plan files: down removes every copy after the containers", "[planner][files]") {
  Stack s = CopiedFiles();
  ActualState actual = Converged(s);
  HostNamed(actual, "lab3")->file_copies["old"] = {false, true};
  CHECK(Describe(MakeDownPlan(s.desired, actual, {})) ==
        "0 lab1 remove shop-web-1\n"
        "1 lab1 remove-files conf1 after 0\n"
        "2 lab1 remove-files site1 after 0\n"
        "3 lab1 remove-network shop_default after 0\n"
        "4 lab2 remove shop-web-2\n"
        "5 lab2 remove-files conf1 after 4\n"
        "6 lab2 remove-files site1 after 4\n"
        "7 lab2 remove-network shop_default after 4\n"
        "8 lab3 remove shop-worker-1\n"
        "9 lab3 remove-files conf1 after 8\n"
        "10 lab3 remove-files old after 8\n"
        "11 lab3 remove-network shop_default after 8\n");
}

TEST_CASE("plan files: baton build plans no uploads", "[planner][files]") {
  Stack s = CopiedFiles();
  UpOptions options;
  options.images_only = true;
  CHECK(Up(s.desired, s.actual, options).empty());
}

// Random stacks whose services mount copies that change between plans.
TEST_CASE("plan files property: running a plan with copies converges", "[planner][files]") {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    Random r(seed * 7919);
    for (ServiceSpec& spec : c.desired.services) {
      if (r.Chance(50)) Copies(spec, "shared", "/etc/shared", true);
      if (r.Chance(50)) Copies(spec, "own-" + spec.name, "/srv");
    }
    for (HostState& host : c.actual.hosts) {
      if (r.Chance(30)) host.file_copies["stale"] = {r.Chance(50), false};
      if (r.Chance(30)) host.file_copies["shared"] = {r.Chance(50), false};
      for (ActualContainer& container : host.containers)
        if (r.Chance(30)) container.file_copies = {"stale"};
    }
    Plan first = Up(c.desired, c.actual);
    Random order(seed);
    ActualState after = Run(c.desired, c.actual, first, order);
    Plan second = Up(c.desired, after);
    INFO(Describe(second));
    REQUIRE(second.empty());
  }
}

}  // namespace
}  // namespace baton::planner
