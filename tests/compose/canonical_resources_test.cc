// Top-level networks, volumes, secrets, configs, models and include in the
// canonical stage.

#include <catch2/catch.hpp>

#include <string>

#include "tests/compose/canonical_fixture.h"

namespace baton::compose {
namespace {

using testing::Canonical;
using testing::CheckSame;
using testing::ErrorOf;

TEST_CASE("canonical resources: a null entry becomes an empty mapping", "[compose][canonical]") {
  Node root = Canonical("networks:\n  front:\nvolumes:\n  data:\nsecrets:\n  s:\n"
                        "configs:\n  c:\n");
  for (const char* section : {"networks", "volumes", "secrets", "configs"}) {
    const Node& entry = root.Find(section)->entries()[0].value;
    CHECK(entry.IsMapping());
    CHECK(entry.entries().empty());
  }
}

TEST_CASE("canonical resources: external.name becomes name and external true",
          "[compose][canonical]") {
  Node root = Canonical("volumes:\n  v:\n    external:\n      name: real\n");
  CheckSame(*root.Find("volumes")->Find("v"), "{external: true, name: real}");
}

TEST_CASE("canonical resources: external.name equal to name is accepted",
          "[compose][canonical]") {
  Node root = Canonical("networks:\n  n:\n    name: real\n    external:\n      name: real\n");
  CheckSame(*root.Find("networks")->Find("n"), "{name: real, external: true}");
}

TEST_CASE("canonical resources: external.name conflicting with name is rejected",
          "[compose][canonical]") {
  CHECK(ErrorOf("secrets:\n  s:\n    name: a\n    external:\n      name: b\n") ==
        "compose.yaml:5:13: secrets.s.external.name: "
        "name and external.name conflict; only use name");
}

TEST_CASE("canonical resources: external as text is a boolean", "[compose][canonical]") {
  Node root = Canonical("configs:\n  c:\n    external: \"yes\"\n");
  CHECK(root.Find("configs")->Find("c")->Find("external")->scalar() == "true");
  CHECK(ErrorOf("configs:\n  c:\n    external: sometimes\n") ==
        "compose.yaml:3:15: configs.c.external: invalid boolean \"sometimes\"");
}

TEST_CASE("canonical resources: unknown resource keys are rejected", "[compose][canonical]") {
  CHECK(ErrorOf("volumes:\n  v:\n    driver_options: {}\n") ==
        "compose.yaml:3:5: volumes.v: unknown key \"driver_options\"");
}

TEST_CASE("canonical resources: a resource must be a mapping", "[compose][canonical]") {
  CHECK(ErrorOf("networks:\n  n: bridge\n") ==
        "compose.yaml:2:6: networks.n: must be a mapping, got string");
}

TEST_CASE("canonical resources: volume names are checked", "[compose][canonical]") {
  CHECK(ErrorOf("volumes:\n  \"my/vol\":\n") ==
        "compose.yaml:2:3: volumes: invalid name \"my/vol\": only letters, digits, \".\", "
        "\"_\" and \"-\" are allowed");
}

TEST_CASE("canonical resources: ipam config is checked", "[compose][canonical]") {
  Canonical("networks:\n  n:\n    ipam:\n      driver: default\n      config:\n"
            "        - subnet: 172.28.0.0/16\n          aux_addresses: {h: 172.28.1.5}\n");
  CHECK(ErrorOf("networks:\n  n:\n    ipam:\n      config:\n        - net: 10.0.0.0/8\n") ==
        "compose.yaml:5:11: networks.n.ipam.config[0]: unknown key \"net\"");
}

TEST_CASE("canonical resources: a model needs a model key", "[compose][canonical]") {
  CHECK(ErrorOf("models:\n  llm:\n    name: x\n") ==
        "compose.yaml:3:5: models.llm: missing required key \"model\"");
}

TEST_CASE("canonical resources: include strings become path lists", "[compose][canonical]") {
  Node root = Canonical("include:\n  - a.yaml\n  - path: [b.yaml, c.yaml]\n    env_file: b.env\n");
  CheckSame(*root.Find("include"),
            "[{path: [a.yaml]}, {path: [b.yaml, c.yaml], env_file: [b.env]}]");
}

TEST_CASE("canonical resources: version and name are strings", "[compose][canonical]") {
  Node root = Canonical("version: 3.8\nname: shop\n");
  CHECK(root.Find("version")->quoted());
}

}  // namespace
}  // namespace baton::compose
