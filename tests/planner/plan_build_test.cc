#include <catch2/catch.hpp>

#include "planner/plan.h"
#include "tests/planner/content_fixture.h"

namespace baton::planner {
namespace {

using namespace testing;

// Only the build and push actions of a plan, in Describe's form.
std::string ImageLines(const Plan& plan) {
  Plan images = plan;
  std::erase_if(images.actions, [](const Action& a) {
    return a.kind != ActionKind::kBuildImage && a.kind != ActionKind::kPushImage;
  });
  for (Action& a : images.actions) a.after.clear();
  return Describe(images);
}

TEST_CASE("plan build: built once on the first placed host, pushed to the others",
          "[planner][build]") {
  Stack s = BuiltWeb();
  Plan plan = Up(s.desired, s.actual);
  CHECK(Describe(plan) ==
        "0 lab1 build shop-web:baton-k1 (./web, 3 files, 1.0 KiB)\n"
        "1 lab1 create-network shop_default\n"
        "2 lab1 pull img/worker\n"
        "3 lab1 create shop-web-1 after 1,0\n"
        "4 lab1 create shop-worker-1 after 1,2\n"
        "5 lab2 create-network shop_default\n"
        "6 lab2 push shop-web:baton-k1 from lab1 after 0\n"
        "7 lab2 create shop-web-2 after 5,6\n"
        "8 lab3 create-network shop_default\n"
        "9 lab3 push shop-web:baton-k1 from lab1 after 0\n"
        "10 lab3 create shop-web-3 after 8,9\n");
  CHECK(plan.actions[0].service == "web");
  CHECK(plan.errors.empty());
}

TEST_CASE("plan build: an image already on a host is pushed from there, not built",
          "[planner][build]") {
  Stack s = BuiltWeb();
  HostNamed(s.actual, "lab2")->images.insert(Tag("web", "k1"));
  CHECK(ImageLines(Up(s.desired, s.actual)) ==
        "0 lab1 push shop-web:baton-k1 from lab2\n"
        "1 lab3 push shop-web:baton-k1 from lab2\n");
}

TEST_CASE("plan build: build-local builds on the local engine and pushes to every host",
          "[planner][build]") {
  Stack s = BuiltWeb();
  UpOptions options;
  options.build_local = true;
  Plan plan = Up(s.desired, s.actual, options);
  CHECK(ImageLines(plan) ==
        "0 local build shop-web:baton-k1 (./web, 3 files, 1.0 KiB)\n"
        "1 lab1 push shop-web:baton-k1\n"
        "2 lab2 push shop-web:baton-k1\n"
        "3 lab3 push shop-web:baton-k1\n");
  for (const Action& a : plan.actions)
    if (a.kind == ActionKind::kPushImage) CHECK(a.after == std::vector<size_t>{0});
}

TEST_CASE("plan build: build-local with the image on the local engine only pushes",
          "[planner][build]") {
  Stack s = BuiltWeb();
  s.actual.local_images.insert(Tag("web", "k1"));
  UpOptions options;
  options.build_local = true;
  CHECK(ImageLines(Up(s.desired, s.actual, options)) ==
        "0 lab1 push shop-web:baton-k1\n"
        "1 lab2 push shop-web:baton-k1\n"
        "2 lab3 push shop-web:baton-k1\n");
  // Without --build-local the local engine does not count: baton builds remotely.
  CHECK(ImageLines(Up(s.desired, s.actual)).rfind("0 lab1 build", 0) == 0);
}

TEST_CASE("plan build: a service outside the scope or unplaced builds nothing", "[planner][build]") {
  Stack s = BuiltWeb();
  UpOptions options;
  options.services = {"worker"};
  CHECK(ImageLines(Up(s.desired, s.actual, options)) == "");
  s.desired.services[0].constraints = {Rule("node.labels.zone", true, "nowhere")};
  Plan plan = Up(s.desired, s.actual);
  CHECK(ImageLines(plan) == "");
  CHECK(plan.unplaced.size() == 3);
}

TEST_CASE("plan build: the build host is the first host a replica is placed on",
          "[planner][build]") {
  Stack s = BuiltWeb();
  s.desired.services[0].replicas = 2;
  s.desired.services[0].constraints = {Rule("node.hostname", false, "lab1")};
  CHECK(ImageLines(Up(s.desired, s.actual)) ==
        "0 lab2 build shop-web:baton-k1 (./web, 3 files, 1.0 KiB)\n"
        "1 lab3 push shop-web:baton-k1 from lab2\n");
}

TEST_CASE("plan build: a converged project with built images plans nothing", "[planner][build]") {
  Stack s = BuiltWeb();
  CHECK(Up(s.desired, Converged(s)).empty());
}

TEST_CASE("plan build: a new build digest rebuilds and recreates every replica",
          "[planner][build]") {
  Stack s = BuiltWeb();
  ActualState actual = Converged(s);
  Builds(s.desired.services[0], "k2");
  s.desired.services[0].spec_hash = "hash-web-k2";
  s.desired.services[0].part_hashes["build"] = "b-k2";
  CHECK(Describe(Up(s.desired, actual)) ==
        "0 lab1 build shop-web:baton-k2 (./web, 3 files, 1.0 KiB)\n"
        "1 lab1 recreate shop-web-1 (build changed) after 0\n"
        "2 lab2 push shop-web:baton-k2 from lab1 after 0\n"
        "3 lab2 recreate shop-web-2 (build changed) after 2\n"
        "4 lab3 push shop-web:baton-k2 from lab1 after 0\n"
        "5 lab3 recreate shop-web-3 (build changed) after 4\n");
}

TEST_CASE("plan build: a running replica needs no image, a recreated one does",
          "[planner][build]") {
  Stack s = BuiltWeb();
  ActualState actual = Converged(s);
  for (HostState& host : actual.hosts) host.images.erase(Tag("web", "k1"));
  CHECK(Up(s.desired, actual).empty());
  HostNamed(actual, "lab3")->containers[0].state = "dead";
  // Built where the first replica is placed, as always, then pushed.
  CHECK(ImageLines(Up(s.desired, actual)) ==
        "0 lab1 build shop-web:baton-k1 (./web, 3 files, 1.0 KiB)\n"
        "1 lab3 push shop-web:baton-k1 from lab1\n");
}

TEST_CASE("plan build: hosts of another architecture than the build host are a plan error",
          "[planner][build]") {
  Stack s = BuiltWeb();
  HostNamed(s.actual, "lab3")->arch = "aarch64";
  Plan plan = Up(s.desired, s.actual);
  CHECK(plan.errors == std::vector<std::string>{
                           "web: built on lab1 (x86_64) but placed on lab3 (aarch64); baton "
                           "builds once per service"});
}

TEST_CASE("plan build: a built image is never pulled, even with pull always", "[planner][build]") {
  Stack s = BuiltWeb();
  UpOptions options;
  options.always_pull = true;
  Plan plan = Up(s.desired, Converged(s), options);
  CHECK(Describe(plan) == "0 lab1 pull img/worker\n");
}

TEST_CASE("plan build: baton build plans only the builds and pushes", "[planner][build]") {
  Stack s = BuiltWeb();
  UpOptions options;
  options.images_only = true;
  CHECK(Describe(Up(s.desired, s.actual, options)) ==
        "0 lab1 build shop-web:baton-k1 (./web, 3 files, 1.0 KiB)\n"
        "1 lab2 push shop-web:baton-k1 from lab1 after 0\n"
        "2 lab3 push shop-web:baton-k1 from lab1 after 0\n");
  // Running replicas still want the image where they are placed.
  ActualState actual = Converged(s);
  HostNamed(actual, "lab2")->images.clear();
  CHECK(Describe(Up(s.desired, actual, options)) == "0 lab2 push shop-web:baton-k1 from lab1\n");
}

TEST_CASE("plan build: down --rmi removes the digest tag and the image name", "[planner][build]") {
  Stack s = BuiltWeb();
  ActualState actual = Converged(s);
  DownOptions options;
  options.images = true;
  std::string plan = Describe(MakeDownPlan(s.desired, actual, options));
  CHECK(plan.find("3 lab1 remove-image img/worker after 0,1\n"
                  "4 lab1 remove-image shop-web after 0,1\n"
                  "5 lab1 remove-image shop-web:baton-k1 after 0,1\n") != std::string::npos);
}

TEST_CASE("plan build property: running a plan with builds converges", "[planner][build]") {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    INFO("seed " << seed);
    Case c = RandomCase(seed);
    for (size_t i = 0; i < c.desired.services.size(); ++i)
      if (i % 2 == 0) Builds(c.desired.services[i], "k" + std::to_string(seed));
    for (HostState& host : c.actual.hosts) host.arch = "x86_64";
    UpOptions options;
    options.build_local = seed % 3 == 0;
    Plan first = Up(c.desired, c.actual, options);
    REQUIRE(first.errors.empty());
    Random order(seed);
    ActualState after = Run(c.desired, c.actual, first, order);
    Plan second = Up(c.desired, after, options);
    INFO(Describe(second));
    REQUIRE(second.empty());
  }
}

}  // namespace
}  // namespace baton::planner
