// MakeContainerSpec's image, command, environment, labels and refusals, the
// create body it becomes, and MakeNetworkSpec / MakeVolumeSpec.

#include "runtime/container_spec.h"

#include <catch2/catch.hpp>

#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "tests/planner/desired_fixture.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using planner::testing::Desired;
using planner::testing::Spec;

ContainerSpec Made(const planner::DesiredState& desired, const std::string& service, int slot = 1,
                   const std::string& host = "lab1", const NetworkSlices& slices = {}) {
  auto spec = MakeContainerSpec(desired, Spec(desired, service), slot, host, slices);
  if (!spec.ok()) FAIL(spec.error().ToString());
  return std::move(*spec);
}

std::string MadeError(const std::string& yaml, const std::string& service = "web") {
  planner::DesiredState desired = Desired(yaml);
  auto spec = MakeContainerSpec(desired, Spec(desired, service), 1, "lab1");
  return spec.ok() ? "made" : spec.error().ToString();
}

TEST_CASE("container spec: image, command, entrypoint and environment",
          "[runtime][container-spec]") {
  ContainerSpec spec = Made(Desired(R"(name: shop
services:
  web:
    image: baton/busybox:lab
    command: [httpd, -f]
    entrypoint: /bin/sh -c
    environment:
      MODE: prod
      EMPTY: ""
      UNSET:
)"),
                            "web");
  CHECK(spec.image == "baton/busybox:lab");
  CHECK(spec.cmd == std::vector<std::string>{"httpd", "-f"});
  CHECK(spec.entrypoint == std::vector<std::string>{"/bin/sh", "-c"});
  CHECK(spec.env == std::vector<std::string>{"EMPTY=", "MODE=prod"});
}

TEST_CASE("container spec: no command keeps the image's", "[runtime][container-spec]") {
  ContainerSpec spec = Made(Desired("name: shop\nservices:\n  web:\n    image: busybox\n"), "web");
  CHECK_FALSE(spec.cmd.has_value());
  CHECK_FALSE(spec.entrypoint.has_value());
}

TEST_CASE("container spec: the name is compose's project-service-slot",
          "[runtime][container-spec]") {
  planner::DesiredState desired = Desired(R"(name: shop
services:
  web: {image: busybox, deploy: {replicas: 3}}
  db: {image: busybox, container_name: the-db}
)");
  CHECK(Made(desired, "web", 2).name == "shop-web-2");
  CHECK(Made(desired, "db", 1).name == "the-db");
}

TEST_CASE("container spec: labels are the service's, compose's and baton's",
          "[runtime][container-spec]") {
  planner::DesiredState desired = Desired(R"(name: shop
services:
  web:
    image: busybox
    labels: {team: blue, com.docker.compose.project: spoofed}
    deploy: {resources: {reservations: {cpus: "0.5", memory: 64M}}}
)");
  const planner::ServiceSpec& web = Spec(desired, "web");
  ContainerSpec spec = Made(desired, "web", 2, "lab3");
  CHECK(spec.labels == Labels{
                           {"team", "blue"},
                           {"com.docker.compose.project", "shop"},
                           {"com.docker.compose.service", "web"},
                           {"com.docker.compose.container-number", "2"},
                           {"com.docker.compose.oneoff", "False"},
                           {"com.docker.compose.config-hash", web.spec_hash},
                           {"com.docker.compose.version", "baton"},
                           {"baton.managed", "true"},
                           {"baton.slot", "2"},
                           {"baton.spec-hash", web.spec_hash},
                           {"baton.spec-parts", json(web.part_hashes).dump()},
                           {"baton.host", "lab3"},
                           {"baton.reserved-cpus", "0.5"},
                           {"baton.reserved-memory", "67108864"},
                       });
  CHECK(spec.labels["baton.spec-parts"].starts_with("{\""));
  CHECK(spec.labels["baton.spec-parts"].find(' ') == std::string::npos);
}

TEST_CASE("container spec: a build service without its build digest is an internal error",
          "[runtime][container-spec]") {
  CHECK(MadeError("name: shop\nservices:\n  web:\n    build: .\n") ==
        "compose.yaml:3:3: services.web: has no image: the desired state has no build digest");
}

TEST_CASE("container spec: a secret without content to copy is refused at the reference",
          "[runtime][container-spec]") {
  CHECK(MadeError(R"(name: shop
services:
  web:
    image: busybox
    secrets: [token]
secrets:
  token: {external: true}
)") == "compose.yaml:5:5: services.web.secrets[0]: secret \"token\" has no content baton can "
       "copy: external, driver and template_driver secrets are not supported yet");
}

TEST_CASE("container spec: a service key baton does not pass on is refused",
          "[runtime][container-spec]") {
  CHECK(MadeError("name: shop\nservices:\n  web:\n    image: busybox\n    gpus: all\n") ==
        "compose.yaml:5:5: services.web.gpus: gpus is not supported yet");
}

TEST_CASE("container spec: the create body keeps typed fields beside the extra ones",
          "[runtime][container-spec]") {
  planner::DesiredState desired = Desired(R"(name: shop
services:
  web:
    image: busybox
    ports: ["8080:80"]
    volumes: [data:/data]
    tmpfs: [/run]
    cap_add: [NET_ADMIN]
    deploy: {resources: {limits: {memory: 64M}}}
volumes:
  data:
)");
  testing::FakeDockerServer server;
  server.On("POST", "/v1.41/containers/create", testing::JsonResponse(R"({"Id": "c0ffee"})"));
  DockerClient docker = testing::ConnectTo(server);
  // The default network spans hosts: on lab1 it is the slice 10.210.4.0/24.
  REQUIRE(docker.CreateContainer(Made(desired, "web", 1, "lab1",
                                      {{"shop_default", "10.210.4.0/24"}}))
              .ok());
  json body = testing::LastBody(server, "POST", "/v1.41/containers/create");
  CHECK(body["HostConfig"] == json::parse(R"({
    "Binds": ["shop_data:/data"],
    "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]},
    "NetworkMode": "shop_default",
    "Memory": 67108864,
    "Tmpfs": {"/run": ""},
    "CapAdd": ["NET_ADMIN"],
    "Dns": ["10.210.4.1"]})"));
  CHECK(body["NetworkingConfig"] ==
        json::parse(R"({"EndpointsConfig": {"shop_default": {}}})"));
}

TEST_CASE("network spec: driver, options, ipam and labels", "[runtime][container-spec]") {
  planner::DesiredState desired = Desired(R"(name: shop
services:
  web: {image: busybox, networks: [back]}
networks:
  back:
    driver_opts: {com.docker.network.bridge.name: br-back}
    internal: true
    attachable: true
    labels: {tier: back}
    enable_ipv6: true
    ipam:
      config:
        - {subnet: 10.30.0.0/24, ip_range: 10.30.0.128/25, gateway: 10.30.0.1,
           aux_addresses: {router: 10.30.0.2}}
        - {subnet: 10.31.0.0/24}
      options: {foo: bar}
)");
  REQUIRE(desired.networks.size() == 1);
  NetworkSpec spec = MakeNetworkSpec(desired, desired.networks[0]);
  CHECK(spec.name == "shop_back");
  CHECK(spec.driver == "bridge");
  CHECK(spec.options == std::map<std::string, std::string>{
                            {"com.docker.network.bridge.name", "br-back"}});
  CHECK(spec.internal);
  CHECK(spec.attachable);
  // Every pool and IPAM setting reaches the engine, not just the first subnet.
  CHECK(spec.extra == nlohmann::json::parse(R"({"EnableIPv6": true, "IPAM": {
          "Driver": "default", "Options": {"foo": "bar"}, "Config": [
            {"Subnet": "10.30.0.0/24", "IPRange": "10.30.0.128/25", "Gateway": "10.30.0.1",
             "AuxiliaryAddresses": {"router": "10.30.0.2"}},
            {"Subnet": "10.31.0.0/24"}]}})"));
  CHECK(spec.labels == std::map<std::string, std::string>{
                           {"tier", "back"},
                           {"com.docker.compose.project", "shop"},
                           {"com.docker.compose.network", "back"},
                           {"baton.managed", "true"}});
}

TEST_CASE("volume spec: driver, options and labels", "[runtime][container-spec]") {
  planner::DesiredState desired = Desired(R"(name: shop
services:
  web: {image: busybox, volumes: [data:/data]}
volumes:
  data:
    driver_opts: {type: tmpfs, device: tmpfs}
    labels: {backup: daily}
)");
  REQUIRE(desired.volumes.size() == 1);
  VolumeSpec spec = MakeVolumeSpec(desired, desired.volumes[0]);
  CHECK(spec.name == "shop_data");
  CHECK(spec.driver == "local");
  CHECK(spec.driver_options ==
        std::map<std::string, std::string>{{"type", "tmpfs"}, {"device", "tmpfs"}});
  CHECK(spec.labels == std::map<std::string, std::string>{
                           {"backup", "daily"},
                           {"com.docker.compose.project", "shop"},
                           {"com.docker.compose.volume", "data"},
                           {"baton.managed", "true"}});
}

}  // namespace
}  // namespace baton::runtime
