// List-or-dict and string-or-list keys in the canonical stage.

#include <catch2/catch.hpp>

#include <string>

#include "tests/compose/canonical_fixture.h"

namespace baton::compose {
namespace {

using testing::CheckSame;
using testing::WebErrorOf;
using testing::WebKey;
using testing::Yaml;

TEST_CASE("canonical lists: an environment list becomes a mapping", "[compose][canonical]") {
  Node env = WebKey("    environment: [A=1, B=, C, D=x=y]\n", "environment");
  CheckSame(env, "{A: \"1\", B: \"\", C: null, D: x=y}");
  CHECK(env.Find("C")->IsNull());
}

TEST_CASE("canonical lists: mapping values become strings, null stays", "[compose][canonical]") {
  Node labels = WebKey("    labels:\n      a: 42\n      b: true\n      c:\n", "labels");
  CHECK(labels.Find("a")->quoted());
  CHECK(labels.Find("b")->quoted());
  CHECK(labels.Find("b")->scalar() == "true");
  CHECK(labels.Find("c")->IsNull());
}

TEST_CASE("canonical lists: a later list entry wins", "[compose][canonical]") {
  CheckSame(WebKey("    environment: [A=1, A=2]\n", "environment"), "{A: \"2\"}");
}

TEST_CASE("canonical lists: a mapping value that is a list is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    environment:\n      A: [1]\n") ==
        "compose.yaml:4:10: services.web.environment.A: "
        "must be a string, number, boolean or null, got sequence");
}

TEST_CASE("canonical lists: a list item without a name is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    labels: [\"=x\"]\n") ==
        "compose.yaml:3:14: services.web.labels[0]: missing name in \"=x\"");
}

TEST_CASE("canonical lists: a list-or-dict given a string is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    sysctls: a=b\n") ==
        "compose.yaml:3:14: services.web.sysctls: must be a mapping or a sequence, got string");
}

TEST_CASE("canonical lists: build args, labels and deploy labels become mappings",
          "[compose][canonical]") {
  Node build = WebKey("    build:\n      context: .\n      args: [A=1]\n      labels: [L]\n",
                      "build");
  CheckSame(build, "{context: ., args: {A: \"1\"}, labels: {L: null}}");
  CheckSame(WebKey("    deploy:\n      labels: [X=y]\n", "deploy"), "{labels: {X: y}}");
}

TEST_CASE("canonical lists: additional contexts need name=value", "[compose][canonical]") {
  CHECK(WebErrorOf("    build:\n      additional_contexts: [base]\n") ==
        "compose.yaml:4:29: services.web.build.additional_contexts[0]: "
        "invalid item \"base\": expected name=value");
}

TEST_CASE("canonical lists: build ssh keys become a mapping", "[compose][canonical]") {
  CheckSame(WebKey("    build:\n      ssh: [default, key=~/.ssh/id]\n", "build"),
            "{ssh: {default: null, key: ~/.ssh/id}}");
}

TEST_CASE("canonical lists: an ssh entry other than default needs a path",
          "[compose][canonical]") {
  CHECK(WebErrorOf("    build:\n      ssh: [mykey]\n") ==
        "compose.yaml:4:13: services.web.build.ssh[0]: invalid ssh key \"mykey\": "
        "expected default or id=path");
}

TEST_CASE("canonical lists: driver_opts values become strings", "[compose][canonical]") {
  Node root = Yaml("networks:\n  n:\n    driver_opts:\n      baz: 1\n");
  REQUIRE(Canonicalise(root).ok());
  CHECK(root.Find("networks")->Find("n")->Find("driver_opts")->Find("baz")->quoted());
}

TEST_CASE("canonical lists: extra_hosts accept host:ip and host=ip", "[compose][canonical]") {
  CheckSame(WebKey("    extra_hosts: [\"a:1.2.3.4\", \"b=::1\", \"c:[::2]\"]\n", "extra_hosts"),
            "[a=1.2.3.4, b=::1, c=::2]");
}

TEST_CASE("canonical lists: extra_hosts in mapping form become host=ip entries",
          "[compose][canonical]") {
  CheckSame(WebKey("    extra_hosts:\n      a: 1.2.3.4\n      b: [\"::1\", 10.0.0.1]\n",
                   "extra_hosts"),
            "[a=1.2.3.4, b=::1, b=10.0.0.1]");
}

TEST_CASE("canonical lists: extra_hosts split several addresses", "[compose][canonical]") {
  CheckSame(WebKey("    extra_hosts: [\"a=1.2.3.4,5.6.7.8\"]\n", "extra_hosts"),
            "[a=1.2.3.4, a=5.6.7.8]");
}

TEST_CASE("canonical lists: an extra host without address is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    extra_hosts: [myhost]\n") ==
        "compose.yaml:3:19: services.web.extra_hosts[0]: invalid extra host \"myhost\": "
        "expected host=ip");
}

TEST_CASE("canonical lists: a string-or-list string becomes a list", "[compose][canonical]") {
  CheckSame(WebKey("    dns: 8.8.8.8\n", "dns"), "[8.8.8.8]");
  CheckSame(WebKey("    tmpfs: /run\n", "tmpfs"), "[/run]");
  CheckSame(WebKey("    label_file: ./l\n", "label_file"), "[./l]");
}

TEST_CASE("canonical lists: a string-or-list given a mapping is rejected",
          "[compose][canonical]") {
  CHECK(WebErrorOf("    dns_search: {a: b}\n") ==
        "compose.yaml:3:17: services.web.dns_search: must be a string or a sequence, "
        "got mapping");
}

TEST_CASE("canonical lists: env_file forms become path and required", "[compose][canonical]") {
  CheckSame(WebKey("    env_file: .env\n", "env_file"), "[{path: .env, required: true}]");
  CheckSame(WebKey("    env_file: [a.env, {path: b.env, required: false, format: raw}]\n",
                   "env_file"),
            "[{path: a.env, required: true}, {path: b.env, required: false, format: raw}]");
}

TEST_CASE("canonical lists: an env_file entry needs a path", "[compose][canonical]") {
  CHECK(WebErrorOf("    env_file:\n      - required: false\n") ==
        "compose.yaml:4:9: services.web.env_file[0]: missing required key \"path\"");
}

TEST_CASE("canonical lists: group_add numbers become strings", "[compose][canonical]") {
  Node groups = WebKey("    group_add: [mail, 1001]\n", "group_add");
  CHECK(groups.items()[1].quoted());
}

}  // namespace
}  // namespace baton::compose
