// services.*.volumes and services.*.devices in the canonical stage.

#include <catch2/catch.hpp>

#include <string>

#include "tests/compose/canonical_fixture.h"

namespace baton::compose {
namespace {

using testing::CheckSame;
using testing::WebErrorOf;
using testing::WebKey;
using testing::Yaml;

void CheckVolume(const std::string& spec, const std::string& expected) {
  Node volumes = WebKey("    volumes: [" + spec + "]\n", "volumes");
  INFO(spec);
  CheckSame(volumes, expected);
}

TEST_CASE("canonical volumes: a target alone is an anonymous volume", "[compose][canonical]") {
  CheckVolume("/var/lib/data", "[{type: volume, target: /var/lib/data, volume: {}}]");
}

TEST_CASE("canonical volumes: an absolute source is a bind mount", "[compose][canonical]") {
  CheckVolume("\"/opt/data:/data\"",
              "[{type: bind, source: /opt/data, target: /data, "
              "bind: {create_host_path: true}}]");
}

TEST_CASE("canonical volumes: relative and home sources are bind mounts",
          "[compose][canonical]") {
  CheckVolume("\".:/code\", \"~/configs:/etc/configs:ro\"",
              "- {type: bind, source: ., target: /code, bind: {create_host_path: true}}\n"
              "- {type: bind, source: ~/configs, target: /etc/configs, read_only: true, "
              "bind: {create_host_path: true}}\n");
}

TEST_CASE("canonical volumes: any other source names a volume", "[compose][canonical]") {
  CheckVolume("\"data:/var/lib/data\"",
              "[{type: volume, source: data, target: /var/lib/data, volume: {}}]");
}

TEST_CASE("canonical volumes: nocopy goes in the volume section", "[compose][canonical]") {
  CheckVolume("\"data:/d:ro,nocopy\"",
              "[{type: volume, source: data, target: /d, read_only: true, "
              "volume: {nocopy: true}}]");
}

TEST_CASE("canonical volumes: propagation and selinux go in the bind section",
          "[compose][canonical]") {
  CheckVolume("\"./a:/a:z,rshared\"",
              "[{type: bind, source: ./a, target: /a, "
              "bind: {selinux: z, propagation: rshared, create_host_path: true}}]");
}

TEST_CASE("canonical volumes: rw is the default and adds nothing", "[compose][canonical]") {
  CheckVolume("\"/a:/a:rw\"",
              "[{type: bind, source: /a, target: /a, bind: {create_host_path: true}}]");
}

TEST_CASE("canonical volumes: old consistency modes are kept", "[compose][canonical]") {
  CheckVolume("\"./app:/app:cached\"",
              "[{type: bind, source: ./app, target: /app, consistency: cached, "
              "bind: {create_host_path: true}}]");
}

TEST_CASE("canonical volumes: the target is cleaned", "[compose][canonical]") {
  CheckVolume("\"data:/var/lib//data/\"",
              "[{type: volume, source: data, target: /var/lib/data, volume: {}}]");
}

TEST_CASE("canonical volumes: the long form is checked and kept", "[compose][canonical]") {
  CheckVolume("{type: bind, source: ./opt, target: /opt, consistency: cached}",
              "[{type: bind, source: ./opt, target: /opt, consistency: cached}]");
}

TEST_CASE("canonical volumes: a tmpfs long form takes a byte size and a mode",
          "[compose][canonical]") {
  CheckVolume("{type: tmpfs, target: /t, tmpfs: {size: 10m, mode: 01777}}",
              "[{type: tmpfs, target: /t, tmpfs: {size: 10m, mode: \"01777\"}}]");
}

TEST_CASE("canonical volumes: too many colons are rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    volumes: [\"a:b:c:d\"]\n") ==
        "compose.yaml:3:15: services.web.volumes[0]: invalid volume \"a:b:c:d\": "
        "too many colons");
}

TEST_CASE("canonical volumes: an empty section is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    volumes: [\"a::/b\"]\n") ==
        "compose.yaml:3:15: services.web.volumes[0]: invalid volume \"a::/b\": "
        "empty section between colons");
}

TEST_CASE("canonical volumes: an unknown mode is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    volumes: [\"./a:/a:r0\"]\n") ==
        "compose.yaml:3:15: services.web.volumes[0]: invalid volume \"./a:/a:r0\": "
        "unknown mode \"r0\"");
}

TEST_CASE("canonical volumes: an empty spec is rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    volumes: [\"\"]\n") ==
        "compose.yaml:3:15: services.web.volumes[0]: invalid volume \"\": empty specification");
}

TEST_CASE("canonical volumes: a long form needs a type", "[compose][canonical]") {
  CHECK(WebErrorOf("    volumes:\n      - source: a\n        target: /a\n") ==
        "compose.yaml:4:9: services.web.volumes[0]: missing required key \"type\"");
}

TEST_CASE("canonical volumes: a long form type is an enum", "[compose][canonical]") {
  CHECK(WebErrorOf("    volumes:\n      - type: disk\n        target: /a\n") ==
        "compose.yaml:4:15: services.web.volumes[0].type: invalid value \"disk\": "
        "must be one of: bind, volume, tmpfs, cluster, npipe, image");
}

TEST_CASE("canonical volumes: a long form needs a target", "[compose][canonical]") {
  CHECK(WebErrorOf("    volumes:\n      - type: volume\n        source: a\n") ==
        "compose.yaml:4:9: services.web.volumes[0]: missing required key \"target\"");
}

TEST_CASE("canonical volumes: a long bind mount needs a source", "[compose][canonical]") {
  CHECK(WebErrorOf("    volumes:\n      - type: bind\n        target: /a\n") ==
        "compose.yaml:4:9: services.web.volumes[0]: a bind mount needs a \"source\"");
}

TEST_CASE("canonical volumes: bind options are checked", "[compose][canonical]") {
  CHECK(WebErrorOf("    volumes:\n      - type: bind\n        source: ./a\n        target: /a\n"
                "        bind:\n          propagation: everywhere\n") ==
        "compose.yaml:8:24: services.web.volumes[0].bind.propagation: invalid value "
        "\"everywhere\": must be one of: rprivate, private, rshared, shared, rslave, slave");
}

TEST_CASE("canonical devices: the short form becomes source, target, permissions",
          "[compose][canonical]") {
  Node devices = WebKey("    devices: [\"/dev/a\", \"/dev/b:/dev/c\", \"/dev/d:/dev/e:r\"]\n",
                        "devices");
  Node want = Yaml("- {source: /dev/a, target: /dev/a, permissions: rwm}\n"
                   "- {source: /dev/b, target: /dev/c, permissions: rwm}\n"
                   "- {source: /dev/d, target: /dev/e, permissions: r}\n");
  INFO(ToYaml(devices));
  CHECK(devices.SameContent(want));
}

TEST_CASE("canonical devices: the long form needs a source", "[compose][canonical]") {
  CHECK(WebErrorOf("    devices:\n      - target: /dev/a\n") ==
        "compose.yaml:4:9: services.web.devices[0]: missing required key \"source\"");
}

TEST_CASE("canonical devices: too many colons are rejected", "[compose][canonical]") {
  CHECK(WebErrorOf("    devices: [\"a:b:c:d\"]\n") ==
        "compose.yaml:3:15: services.web.devices[0]: invalid device \"a:b:c:d\": "
        "too many colons, use the long syntax");
}

}  // namespace
}  // namespace baton::compose
