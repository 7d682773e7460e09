// MakeContainerSpec, key by key: ports, mounts, networks, restart,
// healthcheck, resources, process options and the untyped keys.

#include <catch2/catch.hpp>

#include "runtime/container_spec.h"
#include "tests/planner/desired_fixture.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using planner::testing::Desired;
using planner::testing::Spec;
using Strings = std::vector<std::string>;

// The spec of replica 1 of `web` in a project "shop" whose web service has
// `keys` (indented by four spaces) and whose file ends with `tail`.
ContainerSpec Web(const std::string& keys, const std::string& tail = "") {
  planner::DesiredState desired =
      Desired("name: shop\nservices:\n  web:\n    image: busybox\n" + keys + tail);
  auto spec = MakeContainerSpec(desired, Spec(desired, "web"), 1, "lab1");
  if (!spec.ok()) FAIL(spec.error().ToString());
  return std::move(*spec);
}

std::string WebError(const std::string& keys, const std::string& tail = "") {
  planner::DesiredState desired =
      Desired("name: shop\nservices:\n  web:\n    image: busybox\n" + keys + tail);
  auto spec = MakeContainerSpec(desired, Spec(desired, "web"), 1, "lab1");
  return spec.ok() ? "made" : spec.error().ToString();
}

TEST_CASE("container spec keys: published ports bind, exposed ports expand their ranges",
          "[runtime][container-spec]") {
  ContainerSpec spec = Web(R"(    ports: ["127.0.0.1:8080-8081:80-81", "9000/udp", "7000-7009:7000"]
    expose: ["3000", "4000-4001/udp"]
)");
  CHECK(spec.host_config.port_bindings ==
        std::vector<PortBinding>{{"80/tcp", "127.0.0.1", "8080"},
                                 {"81/tcp", "127.0.0.1", "8081"},
                                 {"9000/udp", "", ""},
                                 {"7000/tcp", "", "7000-7009"}});
  CHECK(spec.exposed_ports == Strings{"3000/tcp", "4000/udp", "4001/udp"});
}

TEST_CASE("container spec keys: named volumes and binds are binds with their options",
          "[runtime][container-spec]") {
  ContainerSpec spec = Web(R"(    volumes:
      - data:/data:ro
      - /srv/www:/www:z
      - type: volume
        source: data
        target: /cache
        volume: {nocopy: true}
      - type: bind
        source: ./conf
        target: /conf
        read_only: true
        bind: {propagation: rslave}
)",
                           "volumes:\n  data:\n    name: shared-data\n");
  CHECK(spec.host_config.binds == Strings{"shared-data:/data:ro", "/srv/www:/www:z",
                                          "shared-data:/cache:nocopy", "/p/conf:/conf:ro,rslave"});
}

TEST_CASE("container spec keys: anonymous volumes are mounts, tmpfs goes to Tmpfs",
          "[runtime][container-spec]") {
  ContainerSpec spec = Web(R"(    volumes:
      - /scratch
      - type: tmpfs
        target: /cache
        tmpfs: {size: 1M, mode: 01777}
    tmpfs: ["/run:size=64k"]
)");
  CHECK(spec.host_config.binds.empty());
  CHECK(spec.extra["HostConfig"]["Mounts"] ==
        json::parse(R"([{"Type": "volume", "Target": "/scratch", "ReadOnly": false}])"));
  CHECK(spec.extra["HostConfig"]["Tmpfs"] ==
        json::parse(R"({"/cache": "size=1048576,mode=1777", "/run": "size=64k"})"));
}

TEST_CASE("container spec keys: a volume subpath is refused at the mount",
          "[runtime][container-spec]") {
  CHECK(WebError(R"(    volumes:
      - type: volume
        source: data
        target: /data
        volume: {subpath: sub}
)",
                 "volumes:\n  data:\n") ==
        "compose.yaml:5:5: services.web.volumes[0]: volume subpath is not supported yet");
}

TEST_CASE("container spec keys: each network under its engine name, aliased by service",
          "[runtime][container-spec]") {
  ContainerSpec spec = Web(R"(    networks:
      front:
      back:
        aliases: [api, web]
        ipv4_address: 10.30.0.5
)",
                           "networks:\n  front:\n  back:\n    name: backend\n");
  CHECK(spec.networks.size() == 2);
  CHECK(spec.networks["shop_front"].aliases == Strings{"web"});
  CHECK(spec.networks["backend"].aliases == Strings{"web", "api"});
  CHECK(spec.networks["backend"].ipv4_address == "10.30.0.5");
  // Equal priorities: the first by compose key.
  CHECK(spec.host_config.network_mode == "backend");
}

TEST_CASE("container spec keys: the highest priority network is the one created on",
          "[runtime][container-spec]") {
  ContainerSpec spec = Web(R"(    networks:
      back:
      front: {priority: 10}
)",
                           "networks:\n  front:\n  back:\n");
  CHECK(spec.host_config.network_mode == "shop_front");
}

TEST_CASE("container spec keys: network options with no engine field are refused",
          "[runtime][container-spec]") {
  CHECK(WebError("    networks:\n      front: {mac_address: \"02:42:ac:11:00:02\"}\n",
                 "networks:\n  front:\n") ==
        "compose.yaml:5:5: services.web.networks.front: mac_address is not supported yet");
}

TEST_CASE("container spec keys: network_mode service: joins that service's first replica",
          "[runtime][container-spec]") {
  planner::DesiredState desired = Desired(R"(name: shop
services:
  web: {image: busybox, network_mode: "service:vpn"}
  vpn: {image: busybox}
)");
  auto spec = MakeContainerSpec(desired, Spec(desired, "web"), 1, "lab1");
  REQUIRE(spec.ok());
  CHECK(spec->host_config.network_mode == "container:shop-vpn-1");
  CHECK(spec->networks.empty());
  CHECK(Web("    network_mode: host\n").host_config.network_mode == "host");
}

TEST_CASE("container spec keys: restart is the engine's policy", "[runtime][container-spec]") {
  RestartPolicy on_failure = Web("    restart: on-failure:3\n").host_config.restart_policy;
  CHECK(on_failure.name == "on-failure");
  CHECK(on_failure.max_retry == 3);
  CHECK(Web("    restart: unless-stopped\n").host_config.restart_policy.name == "unless-stopped");
  CHECK(Web("").host_config.restart_policy.name == "");
}

TEST_CASE("container spec keys: deploy.restart_policy wins, in the engine's names",
          "[runtime][container-spec]") {
  auto policy = [](const std::string& deploy) {
    return Web("    restart: always\n    deploy: {restart_policy: " + deploy + "}\n")
        .host_config.restart_policy;
  };
  CHECK(policy("{condition: any}").name == "always");
  CHECK(policy("{condition: none}").name == "no");
  RestartPolicy on_failure = policy("{condition: on-failure, max_attempts: 5}");
  CHECK(on_failure.name == "on-failure");
  CHECK(on_failure.max_retry == 5);
}

TEST_CASE("container spec keys: healthcheck durations in nanoseconds",
          "[runtime][container-spec]") {
  ContainerSpec spec = Web(R"(    healthcheck:
      test: ["CMD", "true"]
      interval: 1m30s
      timeout: 2s
      start_period: 500ms
      retries: 4
)");
  CHECK(spec.extra["Healthcheck"] == json::parse(R"({"Test": ["CMD", "true"],
    "Interval": 90000000000, "Timeout": 2000000000, "StartPeriod": 500000000, "Retries": 4})"));
  CHECK(Web("    healthcheck: {disable: true}\n").extra["Healthcheck"] ==
        json::parse(R"({"Test": ["NONE"]})"));
}

TEST_CASE("container spec keys: resource limits and the memory reservation",
          "[runtime][container-spec]") {
  ContainerSpec spec = Web(R"(    deploy:
      resources:
        limits: {cpus: "1.5", memory: 512M, pids: 100}
        reservations: {cpus: "0.25", memory: 128M}
)");
  CHECK(spec.host_config.nano_cpus == 1'500'000'000);
  CHECK(spec.host_config.memory_bytes == 512 << 20);
  CHECK(spec.extra["HostConfig"]["PidsLimit"] == 100);
  CHECK(spec.extra["HostConfig"]["MemoryReservation"] == 128 << 20);
}

TEST_CASE("container spec keys: legacy resource keys apply when deploy sets none",
          "[runtime][container-spec]") {
  ContainerSpec legacy = Web("    mem_limit: 256M\n    cpus: 0.5\n    shm_size: 1G\n");
  CHECK(legacy.host_config.memory_bytes == 256 << 20);
  CHECK(legacy.host_config.nano_cpus == 500'000'000);
  CHECK(legacy.extra == json::parse(R"({"HostConfig": {"ShmSize": 1073741824}})"));
  ContainerSpec both =
      Web("    mem_limit: 256M\n    deploy: {resources: {limits: {memory: 512M}}}\n");
  CHECK(both.host_config.memory_bytes == 512 << 20);
}

TEST_CASE("container spec keys: the process and its sandbox", "[runtime][container-spec]") {
  ContainerSpec spec = Web(R"(    user: "1000:1000"
    working_dir: /app
    hostname: web-host
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    privileged: true
    read_only: true
    init: true
    ulimits: {nproc: 65535, nofile: {soft: 1024, hard: 2048}}
    sysctls: {net.core.somaxconn: "1024"}
    logging: {driver: json-file, options: {max-size: 10m}}
    extra_hosts: ["db.local=10.0.0.5"]
    dns: [1.1.1.1]
    stop_signal: SIGINT
    stop_grace_period: 1m30s
)");
  CHECK(spec.extra == json::parse(R"({
    "User": "1000:1000", "WorkingDir": "/app", "Hostname": "web-host", "StopSignal": "SIGINT",
    "StopTimeout": 90,
    "HostConfig": {"CapAdd": ["NET_ADMIN"], "CapDrop": ["ALL"], "Privileged": true,
      "ReadonlyRootfs": true, "Init": true,
      "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048},
                  {"Name": "nproc", "Soft": 65535, "Hard": 65535}],
      "Sysctls": {"net.core.somaxconn": "1024"},
      "LogConfig": {"Type": "json-file", "Config": {"max-size": "10m"}},
      "ExtraHosts": ["db.local:10.0.0.5"], "Dns": ["1.1.1.1"]}})"));
}

TEST_CASE("container spec keys: tty, stdin_open and other untyped keys",
          "[runtime][container-spec]") {
  ContainerSpec spec = Web(R"(    tty: true
    stdin_open: true
    security_opt: [no-new-privileges:true]
    pid: host
    oom_score_adj: -500
    links: [db]
)",
                           "  db: {image: busybox}\n");
  CHECK(spec.extra == json::parse(R"({"Tty": true, "OpenStdin": true,
    "HostConfig": {"SecurityOpt": ["no-new-privileges:true"], "PidMode": "host",
                   "OomScoreAdj": -500}})"));
}

TEST_CASE("container spec keys: nothing beyond the typed fields leaves extra unset",
          "[runtime][container-spec]") {
  CHECK(Web("").extra.is_null());
}

}  // namespace
}  // namespace baton::runtime
