// MakeContainerSpec and MakeNetworkSpec on networks that span hosts: no
// Docker aliases there, compose aliases in baton.aliases, netd on the
// slice's gateway as the first DNS server, and the network on its slice.

#include <catch2/catch.hpp>

#include "runtime/container_spec.h"
#include "tests/planner/desired_fixture.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using planner::testing::Desired;
using planner::testing::Spec;
using Strings = std::vector<std::string>;

constexpr char kShop[] = R"(name: shop
services:
  web:
    image: busybox
    dns: [1.1.1.1]
    networks:
      front:
      back:
        aliases: [www, cache]
      local:
        aliases: [here]
networks:
  front:
  back:
  local:
    ipam: {config: [{subnet: 10.30.0.0/24}]}
)";

// lab2's slices: front and back span hosts; local has its own ipam, so it
// stays on each host and has no slice.
const NetworkSlices kLab2{{"shop_back", "10.210.3.0/24"}, {"shop_front", "10.210.9.0/24"}};

ContainerSpec Made(const std::string& yaml, const NetworkSlices& slices) {
  planner::DesiredState desired = Desired(yaml);
  auto spec = MakeContainerSpec(desired, Spec(desired, "web"), 1, "lab2", slices);
  if (!spec.ok()) FAIL(spec.error().ToString());
  return std::move(*spec);
}

TEST_CASE("container spec: no docker aliases on spanned networks, not even the service's",
          "[runtime][container-spec][cluster]") {
  ContainerSpec spec = Made(kShop, kLab2);
  CHECK(spec.networks.at("shop_front").aliases.empty());
  CHECK(spec.networks.at("shop_back").aliases.empty());
}

TEST_CASE("container spec: a host-local network keeps the service name and aliases",
          "[runtime][container-spec][cluster]") {
  ContainerSpec spec = Made(kShop, kLab2);
  CHECK(spec.networks.at("shop_local").aliases == Strings{"web", "here"});
}

TEST_CASE("container spec: compose aliases on spanned networks go into baton.aliases",
          "[runtime][container-spec][cluster]") {
  ContainerSpec spec = Made(kShop, kLab2);
  CHECK(spec.labels.at("baton.aliases") == R"({"shop_back":["www","cache"]})");
}

TEST_CASE("container spec: no baton.aliases label without aliases on spanned networks",
          "[runtime][container-spec][cluster]") {
  ContainerSpec spec =
      Made("name: shop\nservices:\n  web: {image: busybox}\n", {{"shop_default", "10.210.0.0/24"}});
  CHECK_FALSE(spec.labels.contains("baton.aliases"));
}

TEST_CASE("container spec: netd on the primary network's gateway comes before compose's dns",
          "[runtime][container-spec][cluster]") {
  ContainerSpec spec = Made(kShop, kLab2);
  // Equal priorities: the first by compose key, back, is the primary network.
  REQUIRE(spec.host_config.network_mode == "shop_back");
  CHECK(spec.extra["HostConfig"]["Dns"] == json::parse(R"(["10.210.3.1", "1.1.1.1"])"));
}

TEST_CASE("container spec: a host-local primary network takes the first spanned one's gateway",
          "[runtime][container-spec][cluster]") {
  ContainerSpec spec = Made(R"(name: shop
services:
  web:
    image: busybox
    networks:
      local: {priority: 5}
      front:
networks:
  front:
  local:
    ipam: {config: [{subnet: 10.30.0.0/24}]}
)",
                            kLab2);
  REQUIRE(spec.host_config.network_mode == "shop_local");
  CHECK(spec.extra["HostConfig"]["Dns"] == json::parse(R"(["10.210.9.1"])"));
}

TEST_CASE("container spec: without slices networks and dns stay as compose asks",
          "[runtime][container-spec][cluster]") {
  ContainerSpec spec = Made(kShop, {});
  CHECK(spec.networks.at("shop_back").aliases == Strings{"web", "www", "cache"});
  CHECK_FALSE(spec.labels.contains("baton.aliases"));
  CHECK(spec.extra["HostConfig"]["Dns"] == json::parse(R"(["1.1.1.1"])"));
}

TEST_CASE("container spec: network_mode host gets no cluster dns",
          "[runtime][container-spec][cluster]") {
  ContainerSpec spec =
      Made("name: shop\nservices:\n  web: {image: busybox, network_mode: host}\n", kLab2);
  CHECK(spec.host_config.network_mode == "host");
  CHECK_FALSE(spec.extra.contains("HostConfig"));
}

TEST_CASE("network spec: a spanned network is made on its slice with baton.subnet",
          "[runtime][container-spec][cluster]") {
  planner::DesiredState desired = Desired(kShop);
  REQUIRE(desired.networks.at(0).key == "back");
  NetworkSpec spec = MakeNetworkSpec(desired, desired.networks[0], "10.210.3.0/24");
  CHECK(spec.name == "shop_back");
  CHECK(spec.extra == json::parse(R"({"IPAM": {"Driver": "default",
          "Config": [{"Subnet": "10.210.3.0/24", "Gateway": "10.210.3.1"}]}})"));
  CHECK(spec.labels == std::map<std::string, std::string>{{"com.docker.compose.project", "shop"},
                                                          {"com.docker.compose.network", "back"},
                                                          {"baton.managed", "true"},
                                                          {"baton.subnet", "10.210.3.0/24"}});
}

}  // namespace
}  // namespace baton::runtime
