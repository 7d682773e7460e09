#include "planner/plan.h"

#include <catch2/catch.hpp>

#include "tests/planner/placement_random.h"
#include "tests/planner/plan_fixture.h"

namespace baton::planner {
namespace {

using namespace testing;

TEST_CASE("plan: a fresh up creates what each host needs, containers after it", "[planner][plan]") {
  Stack s = Fresh();
  Plan plan = Up(s.desired, s.actual);
  CHECK(plan.project == "shop");
  CHECK(Describe(plan) ==
        "0 lab1 create-network shop_default\n"
        "1 lab1 create-volume shop_data\n"
        "2 lab1 pull img/db\n"
        "3 lab1 pull img/web\n"
        "4 lab1 create shop-db-1 after 0,1,2\n"
        "5 lab1 create shop-web-2 after 0,3\n"
        "6 lab2 create-network shop_default\n"
        "7 lab2 pull img/web\n"
        "8 lab2 create shop-web-1 after 6,7\n");
  CHECK(plan.placement.size() == 3);
  CHECK(plan.unreachable_hosts.empty());
}

TEST_CASE("plan: a converged project plans nothing", "[planner][plan]") {
  Stack s = Fresh();
  Plan plan = Up(s.desired, Converged(s));
  CHECK(plan.empty());
  CHECK(plan.placement.size() == 3);
}

TEST_CASE("plan: a changed part recreates only its service, naming the parts", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services[1].spec_hash = "hash-web-2";
  s.desired.services[1].part_hashes["environment"] = "e-new";
  s.desired.services[1].part_hashes["image"] = "i-new";
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab1 recreate shop-web-2 (environment, image changed)\n"
        "1 lab2 recreate shop-web-1 (environment, image changed)\n");
}

TEST_CASE("plan: a recreate with unknown parts says the configuration changed", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services[0].spec_hash = "hash-db-2";
  CHECK(Describe(Up(s.desired, actual)) == "0 lab1 recreate shop-db-1 (configuration changed)\n");
}

TEST_CASE("plan: a recreate whose image is missing pulls it first", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services[0].spec_hash = "hash-db-2";
  s.desired.services[0].service.image = "img/db:2";
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab1 pull img/db:2\n"
        "1 lab1 recreate shop-db-1 (configuration changed) after 0\n");
}

TEST_CASE("plan: a stopped replica is started after its missing network", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  HostNamed(actual, "lab2")->containers[0].state = "exited";
  HostNamed(actual, "lab2")->containers[0].exit_code = 137;
  HostNamed(actual, "lab2")->networks.clear();
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab2 create-network shop_default\n"
        "1 lab2 start shop-web-1 after 0\n");
}

TEST_CASE("plan: a one-shot job that exited 0 is left alone", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  HostNamed(actual, "lab1")->containers[0].state = "exited";  // shop-db-1
  CHECK(Up(s.desired, actual).empty());
  s.desired.services[0].service.restart = "on-failure:3";
  CHECK(Up(s.desired, actual).empty());
}

TEST_CASE("plan: a service that restarts always is started even after exit 0", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  HostNamed(actual, "lab1")->containers[0].state = "exited";
  s.desired.services[0].service.deploy = compose::Deploy{};
  s.desired.services[0].service.deploy->restart_policy = compose::RestartPolicy{"any", {}, {}, {}};
  CHECK(Describe(Up(s.desired, actual)) == "0 lab1 start shop-db-1\n");
  HostNamed(actual, "lab1")->containers[0].state = "created";
  s.desired.services[0].service.deploy.reset();
  CHECK(Describe(Up(s.desired, actual)) == "0 lab1 start shop-db-1\n");
}

TEST_CASE("plan: replicas beyond the count are removed as scaled down", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services[1].replicas = 1;
  CHECK(Describe(Up(s.desired, actual)) == "0 lab1 remove shop-web-2 (scaled down)\n");
}

TEST_CASE("plan: a moved replica is removed once its replacement is created", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services[1].constraints = {Rule("node.hostname", true, "lab1")};
  Plan plan = Up(s.desired, actual);
  CHECK(Describe(plan) ==
        "0 lab1 create shop-web-1 (moved from lab2)\n"
        "1 lab2 remove shop-web-1 (moved to lab1) after 0\n");
  REQUIRE(plan.actions.size() == 2);
  CHECK(plan.actions[1].container_id == "id-web-1");
}

TEST_CASE("plan: a replica moving to a later host waits for it there", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services[0].constraints = {Rule("node.hostname", true, "lab2")};
  s.desired.services[0].local_volumes.clear();
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab1 remove shop-db-1 (moved to lab2) after 3\n"
        "1 lab2 create-volume shop_data\n"
        "2 lab2 pull img/db\n"
        "3 lab2 create shop-db-1 (moved from lab1) after 1,2\n");
}

TEST_CASE("plan: a container that is no longer placed is removed before creates on its host",
          "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services[1].replicas = 1;
  s.desired.services.push_back(Service("worker"));
  Plan plan = Up(s.desired, actual);
  CHECK(Describe(plan) ==
        "0 lab1 pull img/worker\n"
        "1 lab1 create shop-worker-1 after 0,2\n"
        "2 lab1 remove shop-web-2 (scaled down)\n");
}

TEST_CASE("plan: containers of services gone from the file are removed as orphans",
          "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services.pop_back();  // web
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab1 remove shop-web-2 (not in the compose file)\n"
        "1 lab2 remove shop-web-1 (not in the compose file)\n");
  UpOptions keep;
  keep.remove_orphans = false;
  CHECK(Up(s.desired, actual, keep).empty());
}

TEST_CASE("plan: up SERVICE touches only it and what it depends on", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  ServiceSpec orphan = Service("old");
  HostNamed(actual, "lab2")->containers.push_back(Replica(orphan, 1));
  for (ServiceSpec& spec : s.desired.services) spec.spec_hash += "-changed";
  s.desired.services[0].service.depends_on["cache"] = compose::DependsOn{};
  s.desired.services.insert(s.desired.services.begin() + 1, Service("proxy"));
  UpOptions options;
  options.services = {"db"};
  Plan plan = Up(s.desired, actual, options);
  CHECK(Describe(plan) == "0 lab1 recreate shop-db-1 (configuration changed)\n");
  CHECK(plan.placement.size() == 1);
  options.services = {"proxy", "web"};
  CHECK(Describe(Up(s.desired, actual, options)) ==
        "0 lab1 recreate shop-web-2 (configuration changed)\n"
        "1 lab2 pull img/proxy\n"
        "2 lab2 create shop-proxy-1 after 1\n"
        "3 lab2 recreate shop-web-1 (configuration changed)\n");
}

TEST_CASE("plan: up SERVICE follows depends_on", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  for (ServiceSpec& spec : s.desired.services) spec.spec_hash += "-changed";
  s.desired.services[1].service.depends_on["db"] = compose::DependsOn{};
  UpOptions options;
  options.services = {"web"};
  CHECK(Up(s.desired, actual, options).actions.size() == 3);
}

TEST_CASE("plan: pull always pulls present images without touching containers", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  UpOptions options;
  options.always_pull = true;
  CHECK(Describe(Up(s.desired, actual, options)) ==
        "0 lab1 pull img/db\n"
        "1 lab1 pull img/web\n"
        "2 lab2 pull img/web\n");
  s.desired.services[0].service.pull_policy = "always";
  CHECK(Describe(Up(s.desired, actual)) == "0 lab1 pull img/db\n");
}

TEST_CASE("plan: push sends a missing image instead of pulling it", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services.push_back(Service("worker"));
  HostNamed(actual, "lab1")->images.insert("img/worker");
  UpOptions options;
  options.push = true;
  // lab2 is the emptier host now; lab1 would already hold the image.
  CHECK(Describe(Up(s.desired, actual, options)) ==
        "0 lab2 push img/worker\n"
        "1 lab2 create shop-worker-1 after 0\n");
  s.desired.services[2].service.pull_policy = "build";
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab2 push img/worker\n"
        "1 lab2 create shop-worker-1 after 0\n");
  HostNamed(actual, "lab2")->images.insert("img/worker");
  s.desired.services[2].service.pull_policy = "never";
  CHECK(Describe(Up(s.desired, actual)) == "0 lab2 create shop-worker-1\n");
}

TEST_CASE("plan: external networks and volumes are never created", "[planner][plan]") {
  ServiceSpec web = Service("web");
  web.service.networks["edge"] = std::nullopt;
  Mount(web, "shared");
  DesiredState desired = Desired({web});
  desired.networks = {Network("edge", true)};
  desired.volumes = {Volume("shared", true)};
  ActualState actual = Actual({Host("lab1")});
  CHECK(Describe(Up(desired, actual)) ==
        "0 lab1 pull img/web\n"
        "1 lab1 create shop-web-1 after 0\n");
}

TEST_CASE("plan: unreachable hosts are listed and their slots placed elsewhere",
          "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  HostNamed(actual, "lab2")->reachable = false;
  Plan plan = Up(s.desired, actual);
  CHECK(plan.unreachable_hosts == std::vector<std::string>{"lab2"});
  CHECK(Describe(plan) == "0 lab1 create shop-web-1 (moved from lab2)\n");
}

TEST_CASE("plan: a replica that fits nowhere keeps its old container", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  s.desired.services[0].spec_hash = "hash-db-2";
  s.desired.services[0].constraints = {Rule("node.labels.zone", true, "eu")};
  Plan plan = Up(s.desired, actual);
  CHECK(plan.empty());
  REQUIRE(plan.unplaced.size() == 1);
  CHECK(plan.unplaced[0].reason == "0/2 hosts: 2 do not match node.labels.zone==eu");
}

TEST_CASE("plan: a global replica on a host it no longer fits is removed", "[planner][plan]") {
  ServiceSpec agent = Global("agent");
  DesiredState desired = Desired({agent});
  ActualState actual = Actual({Host("lab1", {{"zone", "a"}}), Host("lab2", {{"zone", "b"}})});
  actual.hosts[0].containers = {Replica(agent, 1), Replica(agent, 3)};
  actual.hosts[1].containers = {Replica(agent, 2)};
  for (HostState& host : actual.hosts) host.images = {"img/agent"};
  desired.services[0].constraints = {Rule("node.labels.zone", true, "a")};
  CHECK(Describe(Up(desired, actual)) ==
        "0 lab1 remove shop-agent-3 (duplicate of shop-agent-1)\n"
        "1 lab2 remove shop-agent-2 (no longer fits lab2)\n");
}

TEST_CASE("down: containers go first, then the networks they used", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  Plan plan = MakeDownPlan(s.desired, actual, {});
  CHECK(Describe(plan) ==
        "0 lab1 remove shop-db-1\n"
        "1 lab1 remove shop-web-2\n"
        "2 lab1 remove-network shop_default after 0,1\n"
        "3 lab2 remove shop-web-1\n"
        "4 lab2 remove-network shop_default after 3\n");
  CHECK(plan.actions[0].container_id == "id-db-1");
}

TEST_CASE("down: -v removes the project's volumes, never external ones", "[planner][plan]") {
  Stack s = Fresh();
  s.desired.volumes.push_back(Volume("shared", true));
  ActualState actual = Converged(s);
  actual.hosts.pop_back();
  actual.hosts[0].volumes.insert("shared");
  DownOptions options;
  options.volumes = true;
  CHECK(Describe(MakeDownPlan(s.desired, actual, options)) ==
        "0 lab1 remove shop-db-1\n"
        "1 lab1 remove shop-web-2\n"
        "2 lab1 remove-network shop_default after 0,1\n"
        "3 lab1 remove-volume shop_data after 0,1\n");
}

TEST_CASE("down: --rmi removes the images the project uses", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  actual.hosts.erase(actual.hosts.begin());
  actual.hosts[0].networks.clear();
  DownOptions options;
  options.images = true;
  CHECK(Describe(MakeDownPlan(s.desired, actual, options)) ==
        "0 lab2 remove shop-web-1\n"
        "1 lab2 remove-image img/web after 0\n");
}

TEST_CASE("down: by project name alone, with an unreachable host", "[planner][plan]") {
  Stack s = Fresh();
  ActualState actual = Converged(s);
  actual.hosts[0].reachable = false;
  Plan plan = MakeDownPlan(DesiredState{}, actual, {});
  CHECK(plan.project == "shop");
  CHECK(plan.unreachable_hosts == std::vector<std::string>{"lab1"});
  CHECK(Describe(plan) ==
        "0 lab2 remove shop-web-1\n"
        "1 lab2 remove-network shop_default after 0\n");
}

TEST_CASE("plan property: running a plan converges, so the next plan is empty", "[planner][plan]") {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    Plan first = Up(c.desired, c.actual);
    Random order(seed);
    ActualState after = Run(c.desired, c.actual, first, order);
    Plan second = Up(c.desired, after);
    INFO(Describe(second));
    REQUIRE(second.empty());
    REQUIRE(second.placement.size() == first.placement.size());
  }
}

}  // namespace
}  // namespace baton::planner
