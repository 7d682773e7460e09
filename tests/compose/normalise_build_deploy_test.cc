// Normalisation of build and deploy sections.

#include <catch2/catch.hpp>

#include "tests/compose/normalise_fixture.h"

namespace baton::compose {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::NormaliseError;
using testing::NormaliseYaml;
using testing::Web;

TEST_CASE("normalise: build keys are typed", "[compose][normalise][build]") {
  Service web = Web(NormaliseYaml(R"(services:
  web:
    build:
      context: /proj/dir
      dockerfile: Dockerfile.dev
      args: {foo: bar}
      target: prod
      network: host
      labels: {FOO: BAR}
      cache_from: [foo]
      cache_to: [type=inline]
      tags: ["foo:v1"]
      platforms: [linux/amd64]
      ssh: {default: null, key: /home/me/.ssh/id}
      extra_hosts: ["db=10.0.0.2"]
      additional_contexts: {foo: /proj/bar}
      shm_size: 2g
      no_cache: true
      x-build: yes
)"));
  REQUIRE(web.build.has_value());
  const BuildConfig& b = *web.build;
  CHECK(b.context == "/proj/dir");
  CHECK(b.dockerfile == "Dockerfile.dev");
  CHECK(b.args == OptionalStringMap{{"foo", "bar"}});
  CHECK(b.target == "prod");
  CHECK(b.network == "host");
  CHECK(b.labels == StringMap{{"FOO", "BAR"}});
  CHECK(b.cache_from == std::vector<std::string>{"foo"});
  CHECK(b.cache_to == std::vector<std::string>{"type=inline"});
  CHECK(b.tags == std::vector<std::string>{"foo:v1"});
  CHECK(b.platforms == std::vector<std::string>{"linux/amd64"});
  CHECK(b.ssh == std::vector<std::string>{"default", "key=/home/me/.ssh/id"});
  CHECK(b.extra_hosts == std::vector<std::string>{"db=10.0.0.2"});
  CHECK(b.additional_contexts == StringMap{{"foo", "/proj/bar"}});
  CHECK(b.shm_size == std::optional<int64_t>(2147483648));
  CHECK(b.other.Find("no_cache")->scalar() == "true");
  CHECK(b.extensions.Find("x-build")->scalar() == "yes");
}

TEST_CASE("normalise: build secrets keep their marks", "[compose][normalise][build]") {
  Service web = Web(NormaliseYaml(R"(services:
  web:
    build:
      context: /proj
      secrets:
        - source: secret2
          target: my_secret
          uid: "103"
          mode: "0440"
)"));
  REQUIRE(web.build.has_value());
  REQUIRE(web.build->secrets.size() == 1);
  CHECK(web.build->secrets[0].source == "secret2");
  CHECK(web.build->secrets[0].target == "my_secret");
  CHECK(web.build->secrets[0].uid == "103");
  CHECK(web.build->secrets[0].mode == std::optional<uint32_t>(0440));
  CHECK(web.build->other.Find("secrets") == nullptr);
  CHECK(web.marks.at("build.secrets[0]").ToString() == "compose.yaml:6:11");
}

TEST_CASE("normalise: a missing build context is the project directory",
          "[compose][normalise][build]") {
  Service web = Web(NormaliseYaml(
      "services:\n  web:\n    build:\n      dockerfile_inline: FROM alpine\n"));
  REQUIRE(web.build.has_value());
  CHECK(web.build->context == "/proj");
  CHECK(web.build->dockerfile == "");
  CHECK(web.build->dockerfile_inline == "FROM alpine");
}

TEST_CASE("normalise: value-less build args are looked up", "[compose][normalise][build]") {
  NormaliseOptions options = testing::PlainOptions();
  options.lookup = testing::MapLookup({{"VERSION", "1.2"}});
  Service web = Web(NormaliseYaml(
      "services:\n  web:\n    build:\n      context: /p\n      args: {VERSION: null, GONE: null}\n",
      options));
  REQUIRE(web.build.has_value());
  CHECK(web.build->args == OptionalStringMap{{"GONE", std::nullopt}, {"VERSION", "1.2"}});
}

TEST_CASE("normalise: deploy resources, policies and placement", "[compose][normalise][deploy]") {
  Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    deploy:
      mode: replicated
      replicas: 6
      endpoint_mode: dnsrr
      labels: {FOO: BAR}
      resources:
        limits: {cpus: "0.5", memory: 50M, pids: 100}
        reservations:
          cpus: "0.0001"
          memory: 20M
          generic_resources:
            - discrete_resource_spec: {kind: gpu, value: 2}
          devices:
            - capabilities: [gpu]
      restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 120s}
      update_config:
        parallelism: 3
        delay: 10s
        failure_action: continue
        monitor: 60s
        max_failure_ratio: 0.3
        order: start-first
      rollback_config: {parallelism: 1, delay: 500ms}
      placement:
        constraints: [node=foo]
        preferences: [{spread: node.labels.az}]
        max_replicas_per_node: 5
)"));
  REQUIRE(web.deploy.has_value());
  const Deploy& d = *web.deploy;
  CHECK(d.mode == "replicated");
  CHECK(d.replicas == std::optional<int>(6));
  CHECK(d.endpoint_mode == "dnsrr");
  CHECK(d.labels == StringMap{{"FOO", "BAR"}});
  REQUIRE(d.limits.has_value());
  CHECK(d.limits->cpus == std::optional<double>(0.5));
  CHECK(d.limits->memory == std::optional<int64_t>(52428800));
  CHECK(d.limits->pids == std::optional<int64_t>(100));
  REQUIRE(d.reservations.has_value());
  CHECK(d.reservations->cpus == std::optional<double>(0.0001));
  CHECK(d.reservations->memory == std::optional<int64_t>(20971520));
  CHECK(d.reservations->generic_resources.items().size() == 1);
  CHECK(d.reservations->devices.items().size() == 1);
  REQUIRE(d.restart_policy.has_value());
  CHECK(d.restart_policy->condition == "on-failure");
  CHECK(d.restart_policy->delay == std::optional<Duration>(seconds(5)));
  CHECK(d.restart_policy->max_attempts == std::optional<uint64_t>(3));
  CHECK(d.restart_policy->window == std::optional<Duration>(seconds(120)));
  REQUIRE(d.update_config.has_value());
  CHECK(d.update_config->parallelism == std::optional<uint64_t>(3));
  CHECK(d.update_config->delay == std::optional<Duration>(seconds(10)));
  CHECK(d.update_config->failure_action == "continue");
  CHECK(d.update_config->monitor == std::optional<Duration>(seconds(60)));
  CHECK(d.update_config->max_failure_ratio == std::optional<double>(0.3));
  CHECK(d.update_config->order == "start-first");
  REQUIRE(d.rollback_config.has_value());
  CHECK(d.rollback_config->delay == std::optional<Duration>(milliseconds(500)));
  REQUIRE(d.placement.has_value());
  CHECK(d.placement->constraints == std::vector<std::string>{"node=foo"});
  REQUIRE(d.placement->preferences.size() == 1);
  CHECK(d.placement->preferences[0].spread == "node.labels.az");
  CHECK(d.placement->max_replicas_per_node == std::optional<uint64_t>(5));
}

TEST_CASE("normalise: a bad deploy memory is located", "[compose][normalise][deploy]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    deploy:\n      resources:\n"
                       "        limits: {memory: 50Q}\n") ==
        "compose.yaml:6:26: services.web.deploy.resources.limits.memory: "
        "invalid byte size \"50Q\"");
}

TEST_CASE("normalise: bad deploy cpus are located", "[compose][normalise][deploy]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    deploy:\n      resources:\n"
                       "        reservations: {cpus: lots}\n") ==
        "compose.yaml:6:30: services.web.deploy.resources.reservations.cpus: "
        "invalid number \"lots\"");
}

TEST_CASE("normalise: a bad restart delay is located", "[compose][normalise][deploy]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    deploy:\n"
                       "      restart_policy: {delay: soon}\n") ==
        "compose.yaml:5:31: services.web.deploy.restart_policy.delay: invalid duration \"soon\"");
}

TEST_CASE("normalise: an unknown deploy key is located", "[compose][normalise][deploy]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    deploy:\n      replica: 2\n") ==
        "compose.yaml:5:7: services.web.deploy.replica: unknown key \"replica\"");
}

}  // namespace
}  // namespace baton::compose
