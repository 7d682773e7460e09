#include "planner/spec_hash.h"

#include <catch2/catch.hpp>

#include "base/sha256.h"
#include "compose/serialize.h"
#include "tests/planner/desired_fixture.h"

namespace baton::planner {
namespace {

using testing::Desired;
using testing::LoadCompose;
using testing::Spec;
using testing::Strings;

// The keys whose part hash differs between two specs of one service.
Strings ChangedParts(const ServiceSpec& before, const ServiceSpec& after) {
  Strings changed;
  for (const auto& [key, hash] : after.part_hashes) {
    auto it = before.part_hashes.find(key);
    if (it == before.part_hashes.end() || it->second != hash) changed.push_back(key);
  }
  for (const auto& [key, hash] : before.part_hashes)
    if (!after.part_hashes.count(key)) changed.push_back(key);
  return changed;
}

// web and api, with `web_extra` appended under web, and web's MODE.
std::string TwoServices(const std::string& web_extra, const std::string& web_mode = "prod") {
  return "services:\n"
         "  api:\n"
         "    image: api:1\n"
         "    environment: {MODE: prod}\n"
         "  web:\n"
         "    image: web:1\n"
         "    ports: ['80:80']\n"
         "    environment: {MODE: " +
         web_mode + "}\n" + web_extra;
}

TEST_CASE("spec hash: what the hash covers is the service as config prints it, less placement",
          "[planner][desired]") {
  compose::Project project = LoadCompose(
      "services:\n"
      "  web:\n"
      "    image: nginx\n"
      "    environment: {A: '1'}\n"
      "    scale: 3\n"
      "    deploy: {replicas: 3, placement: {constraints: [node.hostname==h1]}}\n"
      "    x-baton: {anti_affinity: web2}\n"
      "  web2: {image: nginx}\n");
  std::string json = compose::ToJson(HashedServiceNode(project.services.at("web")));
  CHECK(json ==
        "{\n"
        "  \"environment\": {\n"
        "    \"A\": \"1\"\n"
        "  },\n"
        "  \"image\": \"nginx\",\n"
        "  \"networks\": {\n"
        "    \"default\": null\n"
        "  }\n"
        "}\n");
  SpecHash hash = HashService(project.services.at("web"));
  CHECK(hash.hash == Sha256Hex(json));
  CHECK(hash.parts.at("image") == Sha256Hex("\"nginx\"\n").substr(0, 8));
}

TEST_CASE("spec hash: each top-level key has an 8-digit part hash", "[planner][desired]") {
  DesiredState desired = Desired(
      "services:\n"
      "  web:\n"
      "    image: x\n"
      "    command: [run]\n"
      "    deploy: {replicas: 2, resources: {limits: {memory: 1G}}}\n");
  const ServiceSpec& web = Spec(desired, "web");
  Strings keys;
  for (const auto& [key, hash] : web.part_hashes) {
    keys.push_back(key);
    CHECK(hash.size() == 8);
    CHECK(hash.find_first_not_of("0123456789abcdef") == std::string::npos);
  }
  CHECK(keys == Strings{"command", "deploy", "image", "networks"});
  CHECK(web.spec_hash.size() == 64);
}

TEST_CASE("spec hash: an environment change touches only that service's environment part",
          "[planner][desired]") {
  DesiredState before = Desired(TwoServices(""));
  DesiredState after = Desired(TwoServices("", "dev"));
  CHECK(Spec(before, "api").spec_hash == Spec(after, "api").spec_hash);
  CHECK(Spec(before, "api").part_hashes == Spec(after, "api").part_hashes);
  CHECK(Spec(before, "web").spec_hash != Spec(after, "web").spec_hash);
  CHECK(ChangedParts(Spec(before, "web"), Spec(after, "web")) == Strings{"environment"});
}

TEST_CASE("spec hash: replica counts, placement and x-baton do not change it",
          "[planner][desired]") {
  const ServiceSpec base = Spec(Desired(TwoServices("")), "web");
  for (const char* extra : {
           "    deploy: {replicas: 3}\n",
           "    scale: 2\n",
           "    deploy: {placement: {constraints: [node.labels.zone==a], max_replicas_per_node: 1,"
           " preferences: [{spread: node.labels.zone}]}}\n",
           "    deploy: {update_config: {parallelism: 2}, rollback_config: {order: start-first}}\n",
           "    x-baton: {affinity: [api]}\n",
       }) {
    INFO(extra);
    const ServiceSpec changed = Spec(Desired(TwoServices(extra)), "web");
    CHECK(changed.spec_hash == base.spec_hash);
    CHECK(changed.part_hashes == base.part_hashes);
  }
}

TEST_CASE("spec hash: deploy settings that shape the container change it", "[planner][desired]") {
  const ServiceSpec base = Spec(Desired(TwoServices("    deploy: {replicas: 2}\n")), "web");
  const ServiceSpec changed = Spec(
      Desired(TwoServices("    deploy: {replicas: 2, resources: {limits: {cpus: '1'}}}\n")), "web");
  CHECK(changed.spec_hash != base.spec_hash);
  CHECK(ChangedParts(base, changed) == Strings{"deploy"});
}

TEST_CASE("spec hash: other x- extensions count", "[planner][desired]") {
  const ServiceSpec base = Spec(Desired(TwoServices("")), "web");
  const ServiceSpec changed = Spec(Desired(TwoServices("    x-team: shop\n")), "web");
  CHECK(changed.spec_hash != base.spec_hash);
  CHECK(ChangedParts(base, changed) == Strings{"x-team"});
}

TEST_CASE("spec hash: two loads of the same file hash the same", "[planner][desired]") {
  std::string yaml = TwoServices(
      "    command: [serve, --port, '80']\n"
      "    labels: {b: '2', a: '1'}\n"
      "    healthcheck: {test: [CMD, true], interval: 30s}\n"
      "    volumes: [data:/data]\n"
      "volumes:\n  data: {}\n");
  DesiredState first = Desired(yaml);
  DesiredState second = Desired(yaml);
  REQUIRE(first.services.size() == second.services.size());
  for (size_t i = 0; i < first.services.size(); ++i) {
    CHECK(first.services[i].spec_hash == second.services[i].spec_hash);
    CHECK(first.services[i].part_hashes == second.services[i].part_hashes);
  }
}

TEST_CASE("spec hash: the order keys are written in does not matter", "[planner][desired]") {
  const ServiceSpec one =
      Spec(Desired("services:\n  web:\n    image: x\n    environment: {A: '1', B: '2'}\n"
                   "    labels: [x=1, y=2]\n"),
           "web");
  const ServiceSpec two = Spec(Desired("services:\n  web:\n    labels: {y: '2', x: '1'}\n"
                                       "    environment: [B=2, A=1]\n    image: x\n"),
                               "web");
  CHECK(one.spec_hash == two.spec_hash);
}

}  // namespace
}  // namespace baton::planner
