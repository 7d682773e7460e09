// How `baton plan` shows a plan: text per host, the problems, the summary,
// colour, and the documented JSON.

#include "cli/plan_output.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace baton::cli {
namespace {

using planner::Action;
using planner::ActionKind;
using planner::Plan;

Action Make(ActionKind kind, const std::string& host, const std::string& name,
            const std::string& reason = "", const std::string& service = "", int slot = 0) {
  Action action;
  action.kind = kind;
  action.host = host;
  action.name = name;
  action.reason = reason;
  action.service = service;
  action.slot = slot;
  return action;
}

// lab1 gets a network, an image and a new replica; lab2 a recreate and a removal.
Plan ShopPlan() {
  Plan plan;
  plan.project = "shop";
  plan.actions = {
      Make(ActionKind::kCreateNetwork, "lab1", "shop_default"),
      Make(ActionKind::kPullImage, "lab1", "baton/busybox:lab"),
      Make(ActionKind::kCreateContainer, "lab1", "shop-web-2", "", "web", 2),
      Make(ActionKind::kRecreateContainer, "lab2", "shop-api-1", "environment changed", "api", 1),
      Make(ActionKind::kRemoveContainer, "lab2", "shop-worker-3", "scaled down", "worker", 3),
  };
  plan.actions[2].after = {0, 1};
  plan.placement = {{"api", 1, "lab2", "shop-api-1"}, {"web", 2, "lab1", "shop-web-2"}};
  return plan;
}

TEST_CASE("plan output: actions grouped per host with signs and reasons", "[cli][plan]") {
  CHECK(RenderPlanText(ShopPlan(), {}) ==
        "lab1:\n"
        "  + create network shop_default\n"
        "  ↓ pull image baton/busybox:lab\n"
        "  + create shop-web-2\n"
        "lab2:\n"
        "  ~ recreate shop-api-1 (environment changed)\n"
        "  - remove shop-worker-3 (scaled down)\n"
        "1 to create, 1 to recreate, 1 to remove, 1 image to pull, 1 network to create\n");
}

TEST_CASE("plan output: an empty plan says no changes", "[cli][plan]") {
  Plan plan;
  plan.project = "shop";
  CHECK(RenderPlanText(plan, {}) == "no changes\n");
}

TEST_CASE("plan output: unplaced replicas and unreachable hosts follow the actions",
          "[cli][plan]") {
  Plan plan;
  plan.project = "shop";
  plan.actions = {Make(ActionKind::kStartContainer, "lab1", "shop-db-1", "", "db", 1)};
  plan.unplaced = {{"web", 3, "0/3 hosts: 3 already run a web replica (max_replicas_per_node 1)"}};
  plan.unreachable_hosts = {"lab3"};
  PlanTextOptions options;
  options.host_errors = {{"lab3", "host lab3: connect: no route to host"}};
  CHECK(RenderPlanText(plan, options) ==
        "lab1:\n"
        "  > start shop-db-1\n"
        "cannot place:\n"
        "  web replica 3: 0/3 hosts: 3 already run a web replica (max_replicas_per_node 1)\n"
        "unreachable:\n"
        "  lab3: host lab3: connect: no route to host\n"
        "1 to start\n");
}

TEST_CASE("plan output: colour marks creations green, recreations yellow, removals red",
          "[cli][plan]") {
  Plan plan;
  plan.actions = {
      Make(ActionKind::kCreateContainer, "h", "a"),
      Make(ActionKind::kRecreateContainer, "h", "b"),
      Make(ActionKind::kRemoveContainer, "h", "c"),
  };
  PlanTextOptions options;
  options.color = true;
  CHECK(RenderPlanText(plan, options) ==
        "h:\n"
        "  \033[32m+ create a\033[0m\n"
        "  \033[33m~ recreate b\033[0m\n"
        "  \033[31m- remove c\033[0m\n"
        "1 to create, 1 to recreate, 1 to remove\n");
}

TEST_CASE("plan output: summary counts plural resources", "[cli][plan]") {
  Plan plan;
  plan.actions = {
      Make(ActionKind::kCreateContainer, "h1", "a"), Make(ActionKind::kCreateContainer, "h2", "b"),
      Make(ActionKind::kPullImage, "h1", "x"),       Make(ActionKind::kPullImage, "h2", "x"),
      Make(ActionKind::kPushImage, "h2", "y"),       Make(ActionKind::kRemoveVolume, "h1", "v"),
  };
  CHECK(PlanSummary(plan) == "2 to create, 2 images to pull, 1 image to push, 1 volume to remove");
  CHECK(AppliedSummary(plan) == "2 created, 2 images pulled, 1 image pushed, 1 volume removed");
}

TEST_CASE("plan output: json has the documented keys", "[cli][plan]") {
  Plan plan = ShopPlan();
  plan.unplaced = {{"db", 1, "0/2 hosts: 2 lack memory"}};
  plan.unreachable_hosts = {"lab3"};
  nlohmann::json json = nlohmann::json::parse(RenderPlanJson(plan, {{"lab3", "down"}}));
  CHECK(json["project"] == "shop");
  CHECK(json["actions"].size() == 5);
  CHECK(json["actions"][2] == nlohmann::json::parse(R"({"index": 2, "host": "lab1",
      "kind": "create_container", "service": "web", "slot": 2, "name": "shop-web-2",
      "container_id": "", "reason": "", "after": [0, 1]})"));
  CHECK(json["actions"][0] == nlohmann::json::parse(R"({"index": 0, "host": "lab1",
      "kind": "create_network", "name": "shop_default", "container_id": "", "reason": "",
      "after": []})"));
  CHECK(json["placement"][1] == nlohmann::json::parse(
                                    R"({"service": "web", "slot": 2, "host": "lab1",
                                        "container": "shop-web-2"})"));
  CHECK(json["unplaced"] == nlohmann::json::parse(
                                R"([{"service": "db", "slot": 1,
                                     "reason": "0/2 hosts: 2 lack memory"}])"));
  CHECK(json["unreachable_hosts"] ==
        nlohmann::json::parse(R"([{"host": "lab3", "error": "down"}])"));
  CHECK(json["summary"] == nlohmann::json::parse(R"({"create_network": 1, "pull_image": 1,
      "create_container": 1, "recreate_container": 1, "remove_container": 1})"));
}

TEST_CASE("plan output: every kind has its own json name", "[cli][plan]") {
  std::set<std::string> names;
  for (int k = 0; k <= static_cast<int>(ActionKind::kRemoveFiles); ++k)
    names.insert(ActionKindKey(static_cast<ActionKind>(k)));
  CHECK(names.size() == 18);
}

// lab1 gets netd and a spanned network on its slice; lab2's netd changes,
// lab3's goes.
Plan ClusterPlan() {
  Plan plan;
  plan.project = "shop";
  plan.actions = {
      Make(ActionKind::kCreateNetd, "lab1", "baton-netd", "cluster networking"),
      Make(ActionKind::kCreateNetwork, "lab1", "shop_back"),
      Make(ActionKind::kRecreateNetd, "lab2", "baton-netd", "config changed"),
      Make(ActionKind::kRemoveNetd, "lab3", "baton-netd"),
  };
  plan.actions[1].subnet = "10.210.3.0/24";
  plan.subnets = {{"lab1", {{"shop_back", "10.210.3.0/24"}}}};
  return plan;
}

TEST_CASE("plan output: netd lines and a spanned network's slice", "[cli][plan]") {
  CHECK(RenderPlanText(ClusterPlan(), {}) ==
        "lab1:\n"
        "  + netd (cluster networking)\n"
        "  + create network shop_back 10.210.3.0/24\n"
        "lab2:\n"
        "  ~ netd (config changed)\n"
        "lab3:\n"
        "  - netd\n"
        "1 network to create, 1 network helper to create, 1 network helper to recreate, "
        "1 network helper to remove\n");
}

TEST_CASE("plan output: plan errors come before the summary", "[cli][plan]") {
  Plan plan;
  plan.errors = {
      "cluster address space 10.210.0.0/16 has no free /24 for network shop_back on "
      "lab3"};
  CHECK(RenderPlanText(plan, {}) ==
        "cannot deploy:\n"
        "  cluster address space 10.210.0.0/16 has no free /24 for network shop_back on lab3\n"
        "no changes\n");
}

TEST_CASE("plan output: json has the subnets, the errors and a network's subnet", "[cli][plan]") {
  Plan plan = ClusterPlan();
  plan.errors = {"no room"};
  nlohmann::json json = nlohmann::json::parse(RenderPlanJson(plan, {}));
  CHECK(json["actions"][1]["subnet"] == "10.210.3.0/24");
  CHECK_FALSE(json["actions"][0].contains("subnet"));
  CHECK(json["actions"][0]["kind"] == "create_netd");
  CHECK(json["subnets"] == nlohmann::json::parse(R"({"lab1": {"shop_back": "10.210.3.0/24"}})"));
  CHECK(json["errors"] == nlohmann::json::parse(R"(["no room"])"));
}

// web is built on lab1 and pushed from there to lab2, which also gets a
// copy of project files; an old copy leaves lab1.
Plan ContentPlan() {
  Plan plan;
  plan.project = "shop";
  plan.actions = {
      Make(ActionKind::kBuildImage, "lab1", "shop-web:baton-0123456789ab"),
      Make(ActionKind::kUploadFiles, "lab2", "89abcdef0123456789abcdef0123456789abcdef"),
      Make(ActionKind::kPushImage, "lab2", "shop-web:baton-0123456789ab"),
      Make(ActionKind::kRemoveFiles, "lab1", "fedcba9876543210fedcba9876543210", "no longer used"),
  };
  plan.actions[2].source_host = "lab1";
  plan.notes = {"services.web.volumes[1]: /var/run/docker.sock is a path on each host"};
  return plan;
}

TEST_CASE("plan output: builds, pushes from a host, copies with their labels and notes",
          "[cli][plan]") {
  PlanTextOptions options;
  options.copy_labels = {{"89abcdef0123456789abcdef0123456789abcdef", "./nginx/nginx.conf"}};
  CHECK(RenderPlanText(ContentPlan(), options) ==
        "lab1:\n"
        "  * build image shop-web:baton-0123456789ab\n"
        "  - remove files fedcba987654 (no longer used)\n"
        "lab2:\n"
        "  ↑ upload files ./nginx/nginx.conf 89abcdef0123\n"
        "  ↑ push image shop-web:baton-0123456789ab from lab1\n"
        "note: services.web.volumes[1]: /var/run/docker.sock is a path on each host\n"
        "1 image to build, 1 file copy to upload, 1 file copy to remove, 1 image to push\n");
}

TEST_CASE("plan output: json has a push's source host, a copy's label and the notes",
          "[cli][plan]") {
  nlohmann::json json = nlohmann::json::parse(RenderPlanJson(
      ContentPlan(), {}, {{"89abcdef0123456789abcdef0123456789abcdef", "config app-config"}}));
  CHECK(json["actions"][2]["source_host"] == "lab1");
  CHECK_FALSE(json["actions"][0].contains("source_host"));
  CHECK(json["actions"][1]["label"] == "config app-config");
  CHECK_FALSE(json["actions"][3].contains("label"));
  CHECK(json["notes"] == nlohmann::json::parse(
                             R"(["services.web.volumes[1]: /var/run/docker.sock is a path on each host"])"));
}

TEST_CASE("plan output: copy labels come from the desired state, shared digests joined",
          "[cli][plan]") {
  planner::DesiredState desired;
  desired.services.resize(2);
  desired.services[0].content.copies = {{"d1", "", "/etc/a", true, false, "./a"},
                                        {"d2", "config", "/c", true, true, "config c"}};
  desired.services[1].content.copies = {{"d1", "", "/etc/b", true, false, "./a"},
                                        {"d1", "", "/etc/b", true, false, "./b"}};
  CHECK(CopyLabels(desired) ==
        std::map<std::string, std::string>{{"d1", "./a, ./b"}, {"d2", "config c"}});
}

}  // namespace
}  // namespace baton::cli
