// Service keys with a short syntax in the canonical stage: command,
// healthcheck.test, depends_on, networks, secrets/configs, build, extends,
// ulimits, gpus.

#include <catch2/catch.hpp>

#include <string>

#include "tests/compose/canonical_fixture.h"

namespace baton::compose {
namespace {

using testing::CheckSame;
using testing::WebErrorOf;
using testing::WebKey;

TEST_CASE("canonical service: a command string is split into words", "[compose][canonical]") {
  CheckSame(WebKey("    command: bundle exec thin -p 3000\n", "command"),
            "[bundle, exec, thin, -p, \"3000\"]");
}

TEST_CASE("canonical service: command quotes group words", "[compose][canonical]") {
  CheckSame(WebKey("    command: /bin/sh -c \"echo 'a b' && exit 1\"\n", "command"),
            "[/bin/sh, -c, \"echo 'a b' && exit 1\"]");
}

TEST_CASE("canonical service: a command list stays, null stays", "[compose][canonical]") {
  CheckSame(WebKey("    command: [\"a b\", c]\n", "command"), "[\"a b\", c]");
  CHECK(WebKey("    entrypoint:\n", "entrypoint").IsNull());
}

TEST_CASE("canonical service: an empty command string is an empty list",
          "[compose][canonical]") {
  CheckSame(WebKey("    entrypoint: \"\"\n", "entrypoint"), "[]");
}

TEST_CASE("canonical service: an unterminated quote in a command is located",
          "[compose][canonical]") {
  CHECK(WebErrorOf("    command: echo 'hi\n") ==
        "compose.yaml:3:14: services.web.command: cannot split \"echo 'hi\" into words: "
        "unterminated quote");
}

TEST_CASE("canonical service: a healthcheck test string runs in a shell",
          "[compose][canonical]") {
  CheckSame(WebKey("    healthcheck:\n      test: echo \"hello world\"\n", "healthcheck"),
            "{test: [CMD-SHELL, echo \"hello world\"]}");
}

TEST_CASE("canonical service: a healthcheck test list must start with CMD, CMD-SHELL or NONE",
          "[compose][canonical]") {
  CHECK(WebErrorOf("    healthcheck:\n      test: [curl, localhost]\n") ==
        "compose.yaml:4:14: services.web.healthcheck.test[0]: "
        "must start with \"CMD\", \"CMD-SHELL\" or \"NONE\"");
}

TEST_CASE("canonical service: a depends_on list gets the default condition",
          "[compose][canonical]") {
  CheckSame(WebKey("    depends_on: [db, redis]\n", "depends_on"),
            "db: {condition: service_started, required: true}\n"
            "redis: {condition: service_started, required: true}\n");
}

TEST_CASE("canonical service: depends_on mapping entries are kept as written",
          "[compose][canonical]") {
  CheckSame(WebKey("    depends_on:\n      db:\n        condition: service_healthy\n"
                   "      cache:\n        required: false\n",
                   "depends_on"),
            "{db: {condition: service_healthy}, cache: {required: false}}");
}

TEST_CASE("canonical service: a depends_on entry must be a mapping", "[compose][canonical]") {
  CHECK(WebErrorOf("    depends_on:\n      db:\n") ==
        "compose.yaml:4:7: services.web.depends_on.db: must be a mapping, got null");
}

TEST_CASE("canonical service: a repeated depends_on name is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    depends_on: [db, db]\n") ==
        "compose.yaml:3:22: services.web.depends_on[1]: duplicate item \"db\"");
}

TEST_CASE("canonical service: a networks list becomes a mapping to null",
          "[compose][canonical]") {
  CheckSame(WebKey("    networks: [front, back]\n", "networks"), "{front: null, back: null}");
}

TEST_CASE("canonical service: network options are checked", "[compose][canonical]") {
  CheckSame(WebKey("    networks:\n      front:\n        aliases: [a]\n      back:\n",
                   "networks"),
            "{front: {aliases: [a]}, back: null}");
  CHECK(WebErrorOf("    networks:\n      front:\n        alias: [a]\n") ==
        "compose.yaml:5:9: services.web.networks.front: unknown key \"alias\"");
}

TEST_CASE("canonical service: a secret name becomes a source", "[compose][canonical]") {
  CheckSame(WebKey("    secrets: [s1, {source: s2, target: t}]\n", "secrets"),
            "[{source: s1}, {source: s2, target: t}]");
}

TEST_CASE("canonical service: a file mode written as a YAML octal keeps its octal text",
          "[compose][canonical]") {
  Node configs = WebKey("    configs:\n      - source: c\n        uid: 103\n        mode: 0440\n",
                        "configs");
  CheckSame(configs, "[{source: c, uid: \"103\", mode: \"0440\"}]");
  CHECK(configs.items()[0].Find("uid")->quoted());
}

TEST_CASE("canonical service: a decimal file mode is converted to octal",
          "[compose][canonical]") {
  CheckSame(WebKey("    secrets:\n      - source: s\n        mode: 288\n", "secrets"),
            "[{source: s, mode: \"0440\"}]");
}

TEST_CASE("canonical service: a quoted file mode is octal text", "[compose][canonical]") {
  CheckSame(WebKey("    secrets:\n      - source: s\n        mode: \"440\"\n", "secrets"),
            "[{source: s, mode: \"0440\"}]");
}

TEST_CASE("canonical service: a file mode that is not octal is rejected",
          "[compose][canonical]") {
  CHECK(WebErrorOf("    secrets:\n      - source: s\n        mode: \"0999\"\n") ==
        "compose.yaml:5:15: services.web.secrets[0].mode: invalid file mode \"0999\"");
}

TEST_CASE("canonical service: a build string becomes a context", "[compose][canonical]") {
  CheckSame(WebKey("    build: ./dir\n", "build"), "{context: ./dir}");
}

TEST_CASE("canonical service: a build mapping gets no default context",
          "[compose][canonical]") {
  CheckSame(WebKey("    build:\n      dockerfile: Dockerfile.dev\n", "build"),
            "{dockerfile: Dockerfile.dev}");
}

TEST_CASE("canonical service: build secrets use the file mount form", "[compose][canonical]") {
  CheckSame(WebKey("    build:\n      secrets: [s]\n", "build"), "{secrets: [{source: s}]}");
}

TEST_CASE("canonical service: an extends string names a service", "[compose][canonical]") {
  CheckSame(WebKey("    extends: base\n", "extends"), "{service: base}");
  CHECK(WebErrorOf("    extends:\n      file: other.yaml\n") ==
        "compose.yaml:4:7: services.web.extends: missing required key \"service\"");
}

TEST_CASE("canonical service: ulimits take a number or soft and hard", "[compose][canonical]") {
  CheckSame(WebKey("    ulimits:\n      nproc: 65535\n      nofile: {soft: 1, hard: 2}\n",
                   "ulimits"),
            "{nproc: 65535, nofile: {soft: 1, hard: 2}}");
  CHECK(WebErrorOf("    ulimits:\n      nproc: many\n") ==
        "compose.yaml:4:14: services.web.ulimits.nproc: invalid integer \"many\"");
}

TEST_CASE("canonical service: gpus all becomes one request for all", "[compose][canonical]") {
  CheckSame(WebKey("    gpus: all\n", "gpus"), "[{count: all}]");
  CHECK(WebErrorOf("    gpus: some\n") ==
        "compose.yaml:3:11: services.web.gpus: invalid value \"some\": must be one of: all");
}

TEST_CASE("canonical service: deploy null is kept", "[compose][canonical]") {
  CHECK(WebKey("    deploy:\n", "deploy").IsNull());
}

TEST_CASE("canonical service: a hook command is split like command", "[compose][canonical]") {
  CheckSame(WebKey("    post_start:\n      - command: echo hi\n        user: root\n",
                   "post_start"),
            "[{command: [echo, hi], user: root}]");
}

}  // namespace
}  // namespace baton::compose
