// The schema check of the canonical stage: unknown keys, types, enums,
// scalar readings, names, required keys, and what it leaves alone.

#include <catch2/catch.hpp>

#include <string>

#include "tests/compose/canonical_fixture.h"

namespace baton::compose {
namespace {

using testing::Canonical;
using testing::CheckSame;
using testing::ErrorOf;
using testing::Web;
using testing::Yaml;

TEST_CASE("canonical: an unknown service key is located at the key", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    imag: nginx\n") ==
        "compose.yaml:3:5: services.web: unknown key \"imag\"");
}

TEST_CASE("canonical: an unknown top-level key is rejected", "[compose][canonical]") {
  CHECK(ErrorOf("service:\n  web:\n    image: nginx\n") ==
        "compose.yaml:1:1: unknown key \"service\"");
}

TEST_CASE("canonical: an unknown nested key names its path", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    deploy:\n      resources:\n        limit:\n"
                "          cpus: 1\n") ==
        "compose.yaml:5:9: services.web.deploy.resources: unknown key \"limit\"");
}

TEST_CASE("canonical: x- keys are allowed where the spec allows them", "[compose][canonical]") {
  Node root = Canonical("x-common: {a: 1}\nservices:\n  web:\n    image: a\n    x-foo: [1]\n"
                        "    deploy:\n      x-bar: 1\nnetworks:\n  n:\n    x-baz: 2\n");
  CHECK(Web(root).Find("x-foo") != nullptr);
}

TEST_CASE("canonical: x- keys are refused where the spec has none", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    blkio_config:\n      x-a: 1\n") ==
        "compose.yaml:4:7: services.web.blkio_config: unknown key \"x-a\"");
}

TEST_CASE("canonical: a mapping where a string is expected is rejected", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    image: {name: nginx}\n") ==
        "compose.yaml:3:12: services.web.image: must be a string, got mapping");
}

TEST_CASE("canonical: a string where a mapping is expected is rejected", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web: nginx\n") ==
        "compose.yaml:2:8: services.web: must be a mapping, got string");
}

TEST_CASE("canonical: null is refused where the spec does not allow it", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    image:\n") ==
        "compose.yaml:3:5: services.web.image: must be a string, got null");
}

TEST_CASE("canonical: a sequence where a list is expected passes, a string does not",
          "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    cap_add: ALL\n") ==
        "compose.yaml:3:14: services.web.cap_add: must be a sequence, got string");
}

TEST_CASE("canonical: the root must be a mapping", "[compose][canonical]") {
  CHECK(ErrorOf("- a\n- b\n") == "compose.yaml:1:1: must be a mapping, got sequence");
}

TEST_CASE("canonical: an empty file is accepted", "[compose][canonical]") {
  Node root = Yaml("");
  CHECK(Canonicalise(root).ok());
  CHECK(root.IsNull());
}

TEST_CASE("canonical: booleans accept YAML 1.1 words and become true/false",
          "[compose][canonical]") {
  Node root = Canonical("services:\n  web:\n    privileged: \"yes\"\n    tty: off\n");
  CHECK(Web(root).Find("privileged")->scalar() == "true");
  CHECK_FALSE(Web(root).Find("privileged")->quoted());
  CHECK(Web(root).Find("tty")->scalar() == "false");
}

TEST_CASE("canonical: a boolean that does not read as one is rejected", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    init: maybe\n") ==
        "compose.yaml:3:11: services.web.init: invalid boolean \"maybe\"");
}

TEST_CASE("canonical: integers given as strings are accepted", "[compose][canonical]") {
  Node root = Canonical("services:\n  web:\n    scale: \"3\"\n");
  CHECK(Web(root).Find("scale")->scalar() == "3");
}

TEST_CASE("canonical: an integer that does not read as one is rejected", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    scale: 1.5\n") ==
        "compose.yaml:3:12: services.web.scale: invalid integer \"1.5\"");
}

TEST_CASE("canonical: numbers accept decimals", "[compose][canonical]") {
  Node root = Canonical("services:\n  web:\n    cpus: \"0.5\"\n");
  CHECK(Web(root).Find("cpus")->scalar() == "0.5");
}

TEST_CASE("canonical: durations are checked and keep their text", "[compose][canonical]") {
  Node root = Canonical("services:\n  web:\n    stop_grace_period: 1m30s\n");
  CHECK(Web(root).Find("stop_grace_period")->scalar() == "1m30s");
}

TEST_CASE("canonical: an invalid duration is located", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    healthcheck:\n      interval: ten\n") ==
        "compose.yaml:4:17: services.web.healthcheck.interval: invalid duration \"ten\"");
}

TEST_CASE("canonical: byte sizes are checked and keep their text", "[compose][canonical]") {
  Node root = Canonical("services:\n  web:\n    shm_size: 2g\n    mem_limit: 1024\n");
  CHECK(Web(root).Find("shm_size")->scalar() == "2g");
  CHECK(Web(root).Find("mem_limit")->scalar() == "1024");
}

TEST_CASE("canonical: an invalid byte size is located", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    deploy:\n      resources:\n        limits:\n"
                "          memory: lots\n") ==
        "compose.yaml:6:19: services.web.deploy.resources.limits.memory: "
        "invalid byte size \"lots\"");
}

TEST_CASE("canonical: cpu_rt_period takes microseconds or a duration", "[compose][canonical]") {
  Node root = Canonical("services:\n  web:\n    cpu_rt_period: 400ms\n    cpu_rt_runtime: 950\n");
  CHECK(Web(root).Find("cpu_rt_period")->scalar() == "400ms");
}

TEST_CASE("canonical: enum values are checked", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    deploy:\n      mode: everywhere\n") ==
        "compose.yaml:4:13: services.web.deploy.mode: invalid value \"everywhere\": "
        "must be one of: replicated, global, replicated-job, global-job");
}

TEST_CASE("canonical: depends_on condition is an enum", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    depends_on:\n      db:\n        condition: healthy\n") ==
        "compose.yaml:5:20: services.web.depends_on.db.condition: invalid value \"healthy\": "
        "must be one of: service_started, service_healthy, service_completed_successfully");
}

TEST_CASE("canonical: restart takes its four values and on-failure:N", "[compose][canonical]") {
  Canonical("services:\n  a:\n    restart: \"no\"\n  b:\n    restart: on-failure:3\n"
            "  c:\n    restart: unless-stopped\n");
  CHECK(ErrorOf("services:\n  web:\n    restart: sometimes\n") ==
        "compose.yaml:3:14: services.web.restart: invalid value \"sometimes\": "
        "must be one of: no, always, on-failure, unless-stopped");
}

TEST_CASE("canonical: pull_policy takes its values and every_<duration>",
          "[compose][canonical]") {
  Canonical("services:\n  a:\n    pull_policy: missing\n  b:\n    pull_policy: every_12h30m\n");
  CHECK(ErrorOf("services:\n  web:\n    pull_policy: every_day\n") ==
        "compose.yaml:3:18: services.web.pull_policy: invalid value \"every_day\": must be one "
        "of: always, never, build, if_not_present, missing, refresh, daily, weekly, "
        "every_<duration>");
}

TEST_CASE("canonical: service names are checked", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  my web:\n    image: a\n") ==
        "compose.yaml:2:3: services: invalid name \"my web\": only letters, digits, \".\", "
        "\"_\" and \"-\" are allowed");
}

TEST_CASE("canonical: required keys are checked", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    ulimits:\n      nofile:\n        soft: 1\n") ==
        "compose.yaml:5:9: services.web.ulimits.nofile: missing required key \"hard\"");
}

TEST_CASE("canonical: repeated items of a unique list are rejected", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    cap_add: [NET_ADMIN, SYS_TIME, NET_ADMIN]\n") ==
        "compose.yaml:3:36: services.web.cap_add[2]: duplicate item \"NET_ADMIN\"");
}

TEST_CASE("canonical: string values become strings", "[compose][canonical]") {
  Node root = Canonical("services:\n  web:\n    user: 1000\n");
  CHECK(Web(root).Find("user")->quoted());
}

TEST_CASE("canonical: values tagged !reset are left for the merge", "[compose][canonical]") {
  Node root = Canonical("services:\n  web:\n    ports: !reset []\n    image: !reset null\n");
  CHECK(Web(root).Find("ports")->tag() == "reset");
  CHECK(Web(root).Find("image")->IsNull());
}

TEST_CASE("canonical: sequence items tagged !reset are dropped", "[compose][canonical]") {
  Node root = Canonical("services:\n  web:\n    ports: [80, !reset 81]\n"
                        "    dns: [!reset 1.1.1.1, 8.8.8.8]\n");
  CHECK(Web(root).Find("ports")->items().size() == 1);
  CHECK(Web(root).Find("dns")->items().size() == 1);
}

TEST_CASE("canonical: values tagged !override are checked", "[compose][canonical]") {
  CHECK(ErrorOf("services:\n  web:\n    ports: !override [\"x\"]\n") ==
        "compose.yaml:3:23: services.web.ports[0]: invalid port \"x\": "
        "\"x\" is not a port number");
}

TEST_CASE("canonical: a value rewritten to its long form keeps its tag",
          "[compose][canonical]") {
  Node root = Canonical(
      "services:\n  web:\n    environment: !override [A=1]\n    labels: !override [l=1]\n"
      "    depends_on: !override [db]\n    networks: !override [front]\n"
      "    ports: !override [\"80:80\"]\n    command: !override echo hi\n"
      "    extra_hosts: !override [\"h:1.2.3.4\"]\n    env_file: !override .env\n"
      "    build: !override .\n    dns: !override 1.1.1.1\n    tmpfs: !override /tmp\n"
      "    healthcheck:\n      test: !override curl x\n  db:\n    image: db\n"
      "networks:\n  front:\n");
  for (const char* key : {"environment", "labels", "depends_on", "networks", "ports", "command",
                          "extra_hosts", "env_file", "build", "dns", "tmpfs"}) {
    INFO(key);
    CHECK(Web(root).Find(key)->tag() == "override");
  }
  CHECK(Web(root).Find("healthcheck")->Find("test")->tag() == "override");
  CHECK(Web(root).Find("environment")->IsMapping());
  CHECK(Web(root).Find("build")->IsMapping());
}

TEST_CASE("canonical: a canonical file is left unchanged", "[compose][canonical]") {
  std::string text =
      "services:\n  web:\n    ports: [\"8000-8001:80-81\", 9000]\n    volumes: [\"./a:/b:ro\"]\n"
      "    environment: [A=1, B]\n    command: echo hi\n    depends_on: [db]\n"
      "    networks: [front]\n    secrets: [s]\n    build: .\n    extra_hosts: [\"h:1.2.3.4\"]\n"
      "    env_file: .env\n    healthcheck:\n      test: true\n  db:\n    image: db\n"
      "networks:\n  front:\n    external:\n      name: f\nsecrets:\n  s:\n    file: ./s\n";
  Node once = Canonical(text);
  Node twice = once;
  REQUIRE(Canonicalise(twice).ok());
  CHECK(ToYaml(twice) == ToYaml(once));
}

TEST_CASE("canonical: CanonicaliseService checks one service at its path",
          "[compose][canonical]") {
  Node service = Yaml("image: a\nport: [80]\n");
  Status s = CanonicaliseService(service, ModelPath().Key("services").Key("web"));
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "compose.yaml:2:1: services.web: unknown key \"port\"");
}

TEST_CASE("canonical: CanonicaliseService rewrites short syntax", "[compose][canonical]") {
  Node service = Yaml("image: a\nports: [80]\n");
  REQUIRE(CanonicaliseService(service, ModelPath().Key("services").Key("web")).ok());
  CheckSame(*service.Find("ports"), "[{mode: ingress, target: 80, protocol: tcp}]");
}

}  // namespace
}  // namespace baton::compose
