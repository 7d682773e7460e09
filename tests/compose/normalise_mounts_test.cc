// Normalisation of ports and volumes (long syntax).

#include <catch2/catch.hpp>

#include "tests/compose/normalise_fixture.h"

namespace baton::compose {
namespace {

using testing::NormaliseError;
using testing::NormaliseYaml;
using testing::Web;

TEST_CASE("normalise: ports in long form", "[compose][normalise][mounts]") {
  Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    ports:
      - {mode: ingress, target: 3000, protocol: tcp}
      - name: http
        mode: host
        host_ip: 127.0.0.1
        target: 80
        published: "8080"
        protocol: udp
        app_protocol: http
      - {target: 53, published: 5300-5310, host_ip: "[::1]"}
)"));
  REQUIRE(web.ports.size() == 3);
  CHECK(web.ports[0].target == 3000);
  CHECK(web.ports[0].published == "");
  CHECK(web.ports[0].mode == "ingress");
  CHECK(web.ports[0].protocol == "tcp");
  CHECK(web.ports[1].name == "http");
  CHECK(web.ports[1].mode == "host");
  CHECK(web.ports[1].host_ip == "127.0.0.1");
  CHECK(web.ports[1].target == 80);
  CHECK(web.ports[1].published == "8080");
  CHECK(web.ports[1].protocol == "udp");
  CHECK(web.ports[1].app_protocol == "http");
  CHECK(web.ports[2].published == "5300-5310");
  CHECK(web.ports[2].host_ip == "::1");
}

TEST_CASE("normalise: a port target out of range is located", "[compose][normalise][mounts]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    ports:\n      - target: 99999\n") ==
        "compose.yaml:5:17: services.web.ports[0].target: port 99999 out of range 1-65535");
}

TEST_CASE("normalise: a port without target is located", "[compose][normalise][mounts]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    ports:\n"
                       "      - published: \"80\"\n") ==
        "compose.yaml:5:9: services.web.ports[0]: missing key \"target\"");
}

TEST_CASE("normalise: an unknown port key is located", "[compose][normalise][mounts]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    ports:\n      - {target: 80, "
                       "hostip: x}\n") ==
        "compose.yaml:5:22: services.web.ports[0].hostip: unknown key \"hostip\"");
}

TEST_CASE("normalise: bind, volume and tmpfs mounts", "[compose][normalise][mounts]") {
  Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    volumes:
      - type: bind
        source: /opt/data
        target: /data
        read_only: true
        consistency: cached
        bind: {propagation: rshared, create_host_path: true, selinux: z}
      - type: volume
        source: datavolume
        target: /var/lib/volume
        volume: {nocopy: true, subpath: sub}
      - type: volume
        target: /anonymous
      - type: tmpfs
        target: /opt/tmpfs
        tmpfs: {size: 10000, mode: "1777"}
)"));
  REQUIRE(web.volumes.size() == 4);
  const VolumeMount& bind = web.volumes[0];
  CHECK(bind.type == "bind");
  CHECK(bind.source == "/opt/data");
  CHECK(bind.target == "/data");
  CHECK(bind.read_only);
  CHECK(bind.consistency == "cached");
  CHECK(bind.bind_set);
  CHECK(bind.bind_propagation == "rshared");
  CHECK(bind.bind_create_host_path == std::optional<bool>(true));
  CHECK(bind.bind_selinux == "z");
  CHECK_FALSE(bind.volume_set);
  const VolumeMount& named = web.volumes[1];
  CHECK(named.volume_set);
  CHECK(named.volume_nocopy == std::optional<bool>(true));
  CHECK(named.volume_subpath == "sub");
  CHECK_FALSE(named.bind_set);
  CHECK(web.volumes[2].source == "");
  CHECK_FALSE(web.volumes[2].volume_set);
  CHECK(web.volumes[3].tmpfs_size == std::optional<int64_t>(10000));
  CHECK(web.volumes[3].tmpfs_mode == std::optional<uint32_t>(01777));
}

TEST_CASE("normalise: an empty bind section still counts as set", "[compose][normalise][mounts]") {
  Service web = Web(NormaliseYaml(
      "services:\n  web:\n    image: a\n    volumes:\n"
      "      - {type: bind, source: /a, target: /b, bind: {}}\n"));
  REQUIRE(web.volumes.size() == 1);
  CHECK(web.volumes[0].bind_set);
  CHECK_FALSE(web.volumes[0].bind_create_host_path.has_value());
}

TEST_CASE("normalise: untyped mount keys are kept in the mount's other",
          "[compose][normalise][mounts]") {
  Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    volumes:
      - type: bind
        source: /a
        target: /b
        bind: {recursive: enabled}
      - type: image
        source: alpine
        target: /img
        image: {subpath: etc}
)"));
  REQUIRE(web.volumes.size() == 2);
  const Node* bind = web.volumes[0].other.Find("bind");
  REQUIRE(bind);
  CHECK(bind->Find("recursive")->scalar() == "enabled");
  const Node* image = web.volumes[1].other.Find("image");
  REQUIRE(image);
  CHECK(image->Find("subpath")->scalar() == "etc");
}

TEST_CASE("normalise: volume marks are kept by index", "[compose][normalise][mounts]") {
  Service web = Web(NormaliseYaml(
      "services:\n  web:\n    image: a\n    volumes:\n"
      "      - {type: volume, source: d, target: /d}\n"));
  CHECK(web.marks.at("volumes[0]").ToString() == "compose.yaml:5:9");
}

TEST_CASE("normalise: a bad tmpfs size is located", "[compose][normalise][mounts]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    volumes:\n"
                       "      - {type: tmpfs, target: /t, tmpfs: {size: big}}\n") ==
        "compose.yaml:5:49: services.web.volumes[0].tmpfs.size: invalid byte size \"big\"");
}

TEST_CASE("normalise: a mount without type is located", "[compose][normalise][mounts]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    volumes:\n      - {target: /t}\n") ==
        "compose.yaml:5:9: services.web.volumes[0]: missing key \"type\"");
}

TEST_CASE("normalise: a short-syntax volume string is refused", "[compose][normalise][mounts]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    volumes:\n      - /a:/b\n") ==
        "compose.yaml:5:9: services.web.volumes[0]: expected a mapping, got a string");
}

}  // namespace
}  // namespace baton::compose
