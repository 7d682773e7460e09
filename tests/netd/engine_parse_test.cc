#include "runtime/netd/engine_parse.h"

#include <catch2/catch.hpp>

namespace baton::netd {
namespace {

constexpr char kNetworks[] = R"([
  {"Name":"shop_back","Labels":{"baton.subnet":"10.210.3.0/24"},
   "IPAM":{"Config":[{"Subnet":"10.210.3.0/24","Gateway":"10.210.3.254"}]}},
  {"Name":"shop_front","Labels":{"baton.subnet":"10.210.4.0/24"},"IPAM":{"Config":[]}},
  {"Name":"odd","Labels":{"baton.subnet":"not-a-cidr"}},
  {"Labels":{"baton.subnet":"10.210.5.0/24"}}
])";

std::vector<HostNetwork> Networks() { return *ParseBatonNetworks(kNetworks); }

TEST_CASE("engine parse: baton networks take the label's subnet", "[netd][engine]") {
  auto networks = ParseBatonNetworks(kNetworks);
  REQUIRE(networks.ok());
  REQUIRE(networks->size() == 2);
  CHECK((*networks)[0].name == "shop_back");
  CHECK((*networks)[0].subnet == "10.210.3.0/24");
  CHECK((*networks)[1].name == "shop_front");
}

TEST_CASE("engine parse: gateway from ipam, else the first address", "[netd][engine]") {
  CHECK(Networks()[0].gateway == "10.210.3.254");
  CHECK(Networks()[1].gateway == "10.210.4.1");
}

TEST_CASE("engine parse: an unreadable reply is an error", "[netd][engine]") {
  auto networks = ParseBatonNetworks("{\"message\":\"boom\"}");
  REQUIRE_FALSE(networks.ok());
  CHECK(networks.error().ToString() == "engine: unreadable network list");
  auto endpoints = ParseContainerEndpoints("[", Networks());
  REQUIRE_FALSE(endpoints.ok());
  CHECK(endpoints.error().ToString() == "engine: unreadable container");
}

TEST_CASE("engine parse: only containers on baton networks are inspected", "[netd][engine]") {
  auto ids = ContainersOnNetworks(R"([
    {"Id":"aa11","NetworkSettings":{"Networks":{"shop_back":{}}}},
    {"Id":"bb22","NetworkSettings":{"Networks":{"bridge":{}}}},
    {"Id":"../etc","NetworkSettings":{"Networks":{"shop_back":{}}}},
    {"Id":"cc33"}
  ])",
                                  Networks());
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<std::string>{"aa11"});
}

std::string Container(const std::string& state, const std::string& networks) {
  return R"({"Name":"/shop-api-1","State":)" + state +
         R"(,"Config":{"Labels":{"com.docker.compose.service":"api",)"
         R"("baton.aliases":"{\"shop_back\":[\"backend\",\"db\"]}"}},)"
         R"("NetworkSettings":{"Networks":)" +
         networks + "}}";
}

constexpr char kOnBoth[] = R"({"shop_back":{"IPAddress":"10.210.3.2"},
  "shop_front":{"IPAddress":"10.210.4.2"},"bridge":{"IPAddress":"172.17.0.2"}})";

TEST_CASE("engine parse: one endpoint per baton network with an address", "[netd][engine]") {
  auto endpoints = ParseContainerEndpoints(Container(R"({"Running":true})", kOnBoth), Networks());
  REQUIRE(endpoints.ok());
  REQUIRE(endpoints->size() == 2);
  const dns::Endpoint& back = (*endpoints)[0];
  CHECK(back.network == "shop_back");
  CHECK(back.ipv4 == 0x0ad20302u);
  CHECK(back.service == "api");
  CHECK(back.container == "shop-api-1");
  CHECK(back.aliases == std::vector<std::string>{"backend", "db"});
  CHECK(back.ready);
  CHECK((*endpoints)[1].aliases.empty());
}

TEST_CASE("engine parse: a stopped container has no endpoint", "[netd][engine]") {
  auto endpoints = ParseContainerEndpoints(
      Container(R"({"Running":false})", R"({"shop_back":{"IPAddress":""}})"), Networks());
  REQUIRE(endpoints.ok());
  CHECK(endpoints->empty());
}

TEST_CASE("engine parse: ready needs running and healthy", "[netd][engine]") {
  auto ready = [](const std::string& state) {
    auto endpoints = ParseContainerEndpoints(Container(state, kOnBoth), Networks());
    REQUIRE(endpoints.ok());
    REQUIRE_FALSE(endpoints->empty());
    return (*endpoints)[0].ready;
  };
  CHECK(ready(R"({"Running":true,"Health":{"Status":"healthy"}})"));
  CHECK_FALSE(ready(R"({"Running":true,"Health":{"Status":"starting"}})"));
  CHECK_FALSE(ready(R"({"Running":true,"Health":{"Status":"unhealthy"}})"));
  CHECK_FALSE(ready(R"({"Running":false,"Health":{"Status":"healthy"}})"));
  CHECK_FALSE(ready(R"({"Running":"yes"})"));
}

TEST_CASE("engine parse: an unreadable aliases label means no aliases", "[netd][engine]") {
  auto endpoints = ParseContainerEndpoints(
      R"({"Name":"/x","State":{"Running":true},"Config":{"Labels":{"baton.aliases":"{oops"}},)"
      R"("NetworkSettings":{"Networks":{"shop_back":{"IPAddress":"10.210.3.9"}}}})",
      Networks());
  REQUIRE(endpoints.ok());
  REQUIRE(endpoints->size() == 1);
  CHECK((*endpoints)[0].aliases.empty());
  CHECK((*endpoints)[0].service.empty());
}

TEST_CASE("engine parse: states compare by every field", "[netd][engine]") {
  EngineState a{Networks(), {{"shop_back", 1, "api", "c1", {}, true}}};
  EngineState b = a;
  CHECK(a == b);
  b.endpoints[0].ready = false;
  CHECK_FALSE(a == b);
}

TEST_CASE("engine parse: project and slot come from the labels", "[netd][engine]") {
  auto endpoints = ParseContainerEndpoints(
      R"({"Name":"/shop-web-2","State":{"Running":true},"Config":{"Labels":{)"
      R"("com.docker.compose.project":"shop","com.docker.compose.container-number":"7",)"
      R"("baton.slot":"2"}},"NetworkSettings":{"Networks":{"shop_back":{"IPAddress":"10.210.3.9"}}}})",
      Networks());
  REQUIRE(endpoints.ok());
  REQUIRE(endpoints->size() == 1);
  CHECK((*endpoints)[0].project == "shop");
  CHECK((*endpoints)[0].slot == 2);
  CHECK((*endpoints)[0].spec_hash.empty());
}

TEST_CASE("engine parse: the spec hash comes from the label", "[netd][engine]") {
  auto endpoints = ParseContainerEndpoints(
      R"({"Name":"/shop-web-2","State":{"Running":true},"Config":{"Labels":{)"
      R"("baton.spec-hash":"5e1f"}},"NetworkSettings":{"Networks":{"shop_back":)"
      R"({"IPAddress":"10.210.3.9"},"shop_front":{"IPAddress":"10.210.4.9"}}}})",
      Networks());
  REQUIRE(endpoints.ok());
  REQUIRE(endpoints->size() == 2);
  CHECK((*endpoints)[0].spec_hash == "5e1f");
  CHECK((*endpoints)[1].spec_hash == "5e1f");
}

TEST_CASE("engine parse: a changed spec hash changes the state", "[netd][engine]") {
  EngineState a{Networks(), {{"shop_back", 1, "web", "c1", {}, true, "shop", 1, "aa"}}};
  EngineState b = a;
  CHECK(a == b);
  b.endpoints[0].spec_hash = "bb";
  CHECK_FALSE(a == b);
}

// A running container with a readiness label and an unhealthy engine health.
std::string Probed(bool running) {
  return R"({"Id":"ab12","Name":"/shop-web-1","State":{"Running":)" +
         std::string(running ? "true" : "false") +
         R"(,"StartedAt":"2026-11-29T05:00:00Z","Health":{"Status":"unhealthy"}},)"
         R"("Config":{"Labels":{"baton.readiness":"{\"test\":[\"CMD\",\"true\"]}"}},)"
         R"("NetworkSettings":{"Networks":{"shop_back":{"IPAddress":"10.210.3.9"}}}})";
}

TEST_CASE("engine parse: a readiness label replaces health as the gate", "[netd][engine]") {
  auto endpoints = ParseContainerEndpoints(Probed(true), Networks());
  REQUIRE(endpoints.ok());
  REQUIRE(endpoints->size() == 1);
  CHECK((*endpoints)[0].ready);
  auto probed = ParseProbedContainer(Probed(true));
  REQUIRE(probed);
  CHECK(probed->id == "ab12");
  CHECK(probed->name == "shop-web-1");
  CHECK(probed->started_at == "2026-11-29T05:00:00Z");
  CHECK(probed->readiness == R"({"test":["CMD","true"]})");
}

TEST_CASE("engine parse: only running containers are probed", "[netd][engine]") {
  CHECK_FALSE(ParseProbedContainer(Probed(false)));
  CHECK_FALSE(ParseProbedContainer(Container(R"({"Running":true})", kOnBoth)));
  CHECK_FALSE(ParseProbedContainer("[]"));
}

}  // namespace
}  // namespace baton::netd
