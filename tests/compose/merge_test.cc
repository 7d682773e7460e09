#include "compose/merge.h"

#include <catch2/catch.hpp>
#include <string>

#include "compose/canonical.h"
#include "tests/compose/node_fixture.h"

namespace baton::compose {
namespace {

using testing::CheckSame;
using testing::Yaml;

constexpr char kOverride[] = "override.yaml";

Node Merged(const std::string& base, const std::string& over) {
  auto merged = MergeFiles(Yaml(base, "base.yaml"), Yaml(over, kOverride));
  if (!merged.ok()) FAIL(merged.error().ToString());
  return std::move(*merged);
}

// Both files canonicalised first, as the loader does before merging.
Node CanonicalMerged(const std::string& base, const std::string& over) {
  Node base_root = Yaml(base, "base.yaml");
  Node over_root = Yaml(over, kOverride);
  for (Node* root : {&base_root, &over_root}) {
    Status s = Canonicalise(*root);
    if (!s.ok()) FAIL(s.error().ToString());
  }
  auto merged = MergeFiles(std::move(base_root), std::move(over_root));
  if (!merged.ok()) FAIL(merged.error().ToString());
  return std::move(*merged);
}

TEST_CASE("merge: scalars are replaced and mappings merged key by key", "[compose][merge]") {
  Node m = Merged("services:\n  web:\n    image: a\n    user: root\n",
                  "services:\n  web:\n    image: b\n    hostname: h\n  db:\n    image: d\n");
  CheckSame(m,
            "services:\n  web:\n    image: b\n    user: root\n    hostname: h\n"
            "  db:\n    image: d\n");
}

TEST_CASE("merge: a later null leaves the earlier value", "[compose][merge]") {
  Node m = Merged(
      "services:\n  web:\n    image: a\n    networks:\n      front:\n"
      "        aliases: [x]\n",
      "services:\n  web:\n    image:\n    networks:\n      front:\n      back:\n");
  CheckSame(m,
            "services:\n  web:\n    image: a\n    networks:\n      front:\n"
            "        aliases: [x]\n      back:\n");
}

TEST_CASE("merge: ports with the same address, port and protocol are replaced",
          "[compose][merge]") {
  Node m = Merged(
      "services:\n  web:\n    ports:\n"
      "      - {target: 80, published: '8080', protocol: tcp, mode: ingress}\n"
      "      - {target: 443, published: '8443', protocol: tcp}\n",
      "services:\n  web:\n    ports:\n"
      "      - {target: 80, published: '8080', protocol: tcp, mode: host}\n"
      "      - {target: 80, published: '8080', protocol: udp}\n");
  CheckSame(m,
            "services:\n  web:\n    ports:\n"
            "      - {target: 80, published: '8080', protocol: tcp, mode: host}\n"
            "      - {target: 443, published: '8443', protocol: tcp}\n"
            "      - {target: 80, published: '8080', protocol: udp}\n");
}

TEST_CASE("merge: volumes are merged by target", "[compose][merge]") {
  Node m = Merged(
      "services:\n  web:\n    volumes:\n"
      "      - {type: volume, source: data, target: /data}\n"
      "      - {type: bind, source: /src, target: /src}\n",
      "services:\n  web:\n    volumes:\n"
      "      - {type: bind, source: /other, target: /data}\n"
      "      - {type: tmpfs, target: /tmp}\n");
  CheckSame(m,
            "services:\n  web:\n    volumes:\n"
            "      - {type: bind, source: /other, target: /data}\n"
            "      - {type: bind, source: /src, target: /src}\n"
            "      - {type: tmpfs, target: /tmp}\n");
}

TEST_CASE("merge: secrets are merged by their mount target", "[compose][merge]") {
  Node m = Merged(
      "services:\n  web:\n    secrets:\n      - {source: a}\n"
      "      - {source: b, target: /etc/b}\n",
      "services:\n  web:\n    secrets:\n      - {source: a, mode: '0400'}\n"
      "      - {source: c, target: /etc/b}\n");
  CheckSame(m,
            "services:\n  web:\n    secrets:\n      - {source: a, mode: '0400'}\n"
            "      - {source: c, target: /etc/b}\n");
}

TEST_CASE("merge: environment is merged by key and a bare key replaces a value",
          "[compose][merge]") {
  Node m = Merged("services:\n  web:\n    environment:\n      A: '1'\n      B: '2'\n",
                  "services:\n  web:\n    environment:\n      B:\n      C: '3'\n");
  CheckSame(m, "services:\n  web:\n    environment:\n      A: '1'\n      B:\n      C: '3'\n");
}

TEST_CASE("merge: command is replaced, not appended", "[compose][merge]") {
  Node m = Merged("services:\n  web:\n    command: [a, b]\n    cap_add: [X]\n",
                  "services:\n  web:\n    command: [c]\n    cap_add: [Y]\n");
  CheckSame(m, "services:\n  web:\n    command: [c]\n    cap_add: [X, Y]\n");
}

TEST_CASE("merge: healthcheck test is replaced and its other keys merged", "[compose][merge]") {
  Node m = Merged("services:\n  web:\n    healthcheck:\n      test: [CMD, a]\n      retries: 3\n",
                  "services:\n  web:\n    healthcheck:\n      test: [CMD-SHELL, b]\n");
  CheckSame(m,
            "services:\n  web:\n    healthcheck:\n      test: [CMD-SHELL, b]\n      retries: 3\n");
}

TEST_CASE("merge: a reset value removes the earlier one", "[compose][merge]") {
  Node m = Merged(
      "services:\n  web:\n    image: a\n    command: [x]\n    ports:\n"
      "      - {target: 80}\n",
      "services:\n  web:\n    command: !reset null\n    ports: !reset []\n");
  CheckSame(m, "services:\n  web:\n    image: a\n");
}

TEST_CASE("merge: a reset sequence item is dropped", "[compose][merge]") {
  Node m =
      Merged("services:\n  web:\n    dns: [a]\n", "services:\n  web:\n    dns: [b, !reset c]\n");
  CheckSame(m, "services:\n  web:\n    dns: [a, b]\n");
}

TEST_CASE("merge: an override value replaces the earlier one whole", "[compose][merge]") {
  Node m = Merged(
      "services:\n  web:\n    ports:\n      - {target: 80}\n    environment:\n"
      "      A: '1'\n",
      "services:\n  web:\n    ports: !override\n      - {target: 81}\n"
      "    environment: !override\n      B: '2'\n");
  CheckSame(m,
            "services:\n  web:\n    ports:\n      - {target: 81}\n    environment:\n"
            "      B: '2'\n");
  CHECK(m.Find("services")->Find("web")->Find("ports")->tag().empty());
}

TEST_CASE("merge: extra_hosts keep one of equal entries", "[compose][merge]") {
  Node m = Merged("services:\n  web:\n    extra_hosts: [a=1.1.1.1, b=2.2.2.2]\n",
                  "services:\n  web:\n    extra_hosts: [b=2.2.2.2, a=3.3.3.3]\n");
  CheckSame(m, "services:\n  web:\n    extra_hosts: [a=1.1.1.1, b=2.2.2.2, a=3.3.3.3]\n");
}

TEST_CASE("merge: unique lists drop repeats", "[compose][merge]") {
  Node m = Merged("services:\n  web:\n    dns: [8.8.8.8]\n    profiles: [a]\n",
                  "services:\n  web:\n    dns: [9.9.9.9, 8.8.8.8]\n    profiles: [a, b]\n");
  CheckSame(m, "services:\n  web:\n    dns: [8.8.8.8, 9.9.9.9]\n    profiles: [a, b]\n");
}

TEST_CASE("merge: other lists are appended", "[compose][merge]") {
  Node m = Merged("services:\n  web:\n    security_opt: [a]\n",
                  "services:\n  web:\n    security_opt: [a, b]\n");
  CheckSame(m, "services:\n  web:\n    security_opt: [a, a, b]\n");
}

TEST_CASE("merge: logging options merge when the driver is the same", "[compose][merge]") {
  Node m =
      Merged("services:\n  web:\n    logging:\n      driver: syslog\n      options: {a: '1'}\n",
             "services:\n  web:\n    logging:\n      options: {b: '2'}\n");
  CheckSame(m,
            "services:\n  web:\n    logging:\n      driver: syslog\n"
            "      options: {a: '1', b: '2'}\n");
}

TEST_CASE("merge: logging is replaced when the driver changes", "[compose][merge]") {
  Node m =
      Merged("services:\n  web:\n    logging:\n      driver: syslog\n      options: {a: '1'}\n",
             "services:\n  web:\n    logging:\n      driver: json-file\n");
  CheckSame(m, "services:\n  web:\n    logging:\n      driver: json-file\n");
}

TEST_CASE("merge: each ulimit is replaced whole", "[compose][merge]") {
  Node m = Merged(
      "services:\n  web:\n    ulimits:\n      nofile: {soft: 1, hard: 2}\n"
      "      nproc: 10\n",
      "services:\n  web:\n    ulimits:\n      nofile: {hard: 3}\n");
  CheckSame(m, "services:\n  web:\n    ulimits:\n      nofile: {hard: 3}\n      nproc: 10\n");
}

TEST_CASE("merge: ipam configs merge by subnet", "[compose][merge]") {
  Node m = Merged(
      "networks:\n  n:\n    ipam:\n      config:\n"
      "        - {subnet: 10.0.0.0/24, gateway: 10.0.0.1}\n",
      "networks:\n  n:\n    ipam:\n      config:\n"
      "        - {subnet: 10.0.0.0/24, ip_range: 10.0.0.0/25}\n"
      "        - {subnet: 10.1.0.0/24}\n");
  CheckSame(m,
            "networks:\n  n:\n    ipam:\n      config:\n"
            "        - {subnet: 10.0.0.0/24, gateway: 10.0.0.1, ip_range: 10.0.0.0/25}\n"
            "        - {subnet: 10.1.0.0/24}\n");
}

TEST_CASE("merge: one file alone is made unique and loses its resets", "[compose][merge]") {
  Node m = Merged("{}", "services:\n  web:\n    command: !reset\n    expose: ['80', '80']\n");
  CheckSame(m, "services:\n  web:\n    expose: ['80']\n");
}

TEST_CASE("merge: an empty override file changes nothing", "[compose][merge]") {
  Node m = Merged("services:\n  web:\n    image: a\n", "");
  CheckSame(m, "services:\n  web:\n    image: a\n");
}

TEST_CASE("merge: a value of another kind over a mapping is located", "[compose][merge]") {
  auto m = MergeFiles(Yaml("services:\n  web:\n    x-a: {b: 1}\n", "base.yaml"),
                      Yaml("services:\n  web:\n    x-a: text\n", kOverride));
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().ToString() ==
        "override.yaml:3:10: services.web.x-a: cannot override a mapping with a string");
}

TEST_CASE("merge: a resource merges with the rules of its section", "[compose][merge]") {
  auto m = MergeResource("services", "web", Yaml("command: [a]\nenvironment: {A: '1'}\n"),
                         Yaml("command: [b]\nenvironment: {B: '2'}\n"));
  REQUIRE(m.ok());
  CheckSame(*m, "command: [b]\nenvironment: {A: '1', B: '2'}\n");
}

TEST_CASE("merge: !override on list syntax replaces the base value whole", "[compose][merge]") {
  Node m = CanonicalMerged(
      "services:\n  web:\n    environment: {A: '1'}\n    labels: [a=1]\n"
      "    depends_on: [db]\n    networks: [front]\n    ports: ['80:80']\n"
      "    extra_hosts: ['a:1.1.1.1']\n    env_file: [a.env]\n"
      "    build: {context: ., dockerfile: A}\n    dns: [1.1.1.1]\n    tmpfs: [/a]\n",
      "services:\n  web:\n    environment: !override [B=2]\n    labels: !override [b=2]\n"
      "    depends_on: !override [cache]\n    networks: !override [back]\n"
      "    ports: !override ['81:81']\n    extra_hosts: !override ['b:2.2.2.2']\n"
      "    env_file: !override b.env\n    build: !override .\n    dns: !override 2.2.2.2\n"
      "    tmpfs: !override /b\n");
  CheckSame(m,
            "services:\n  web:\n    environment: {B: '2'}\n    labels: {b: '2'}\n"
            "    depends_on: {cache: {condition: service_started, required: true}}\n"
            "    networks: {back: null}\n"
            "    ports: [{mode: ingress, target: 81, published: '81', protocol: tcp}]\n"
            "    extra_hosts: [b=2.2.2.2]\n    env_file: [{path: b.env, required: true}]\n"
            "    build: {context: .}\n    dns: [2.2.2.2]\n    tmpfs: [/b]\n");
}

TEST_CASE("merge: !reset on list syntax removes the base value", "[compose][merge]") {
  Node m = CanonicalMerged(
      "services:\n  web:\n    image: a\n    environment: [A=1]\n    ports: ['80:80']\n"
      "    depends_on: [db]\n    dns: 1.1.1.1\n",
      "services:\n  web:\n    environment: !reset []\n    ports: !reset []\n"
      "    depends_on: !reset []\n    dns: !reset\n");
  CheckSame(m, "services:\n  web:\n    image: a\n");
}

TEST_CASE("merge: a !reset item of a ports list adds no port", "[compose][merge]") {
  Node m = CanonicalMerged("services:\n  web:\n    ports: ['80:80']\n",
                           "services:\n  web:\n    ports: ['81:81', !reset '82:82']\n");
  CheckSame(m,
            "services:\n  web:\n    ports:\n"
            "      - {mode: ingress, target: 80, published: '80', protocol: tcp}\n"
            "      - {mode: ingress, target: 81, published: '81', protocol: tcp}\n");
}

}  // namespace
}  // namespace baton::compose
