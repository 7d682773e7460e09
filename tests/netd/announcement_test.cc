#include "runtime/netd/announcement.h"

#include <catch2/catch.hpp>
#include <map>

namespace baton::netd {
namespace {

Announcement Sample() {
  Announcement a;
  a.host = "lab2";
  a.vxlan_mac = "02:ba:00:00:00:02";
  a.networks = {{"shop_back", "10.210.3.0/24", "10.210.3.1"}};
  a.endpoints = {{"shop_back", 0x0ad20302, "api", "shop-api-1", {"backend"}, true}};
  return a;
}

std::string ErrorOf(const std::string& line) {
  auto parsed = ParseAnnouncement(line);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == Error::Kind::kInvalid);
  return parsed.error().ToString();
}

TEST_CASE("announcement: one json line with dotted addresses", "[netd][announcement]") {
  CHECK(ToJsonLine(Sample()) ==
        R"({"endpoints":[{"aliases":["backend"],"container":"shop-api-1","ipv4":"10.210.3.2",)"
        R"("network":"shop_back","ready":true,"service":"api"}],"host":"lab2","networks":)"
        R"([{"gateway":"10.210.3.1","name":"shop_back","subnet":"10.210.3.0/24"}],)"
        R"("vxlan_mac":"02:ba:00:00:00:02"})"
        "\n");
}

TEST_CASE("announcement: round trip keeps every field", "[netd][announcement]") {
  auto parsed = ParseAnnouncement(ToJsonLine(Sample()));
  REQUIRE(parsed.ok());
  CHECK(parsed->host == "lab2");
  CHECK(parsed->vxlan_mac == "02:ba:00:00:00:02");
  REQUIRE(parsed->networks.size() == 1);
  CHECK(parsed->networks[0].gateway == "10.210.3.1");
  REQUIRE(parsed->endpoints.size() == 1);
  const dns::Endpoint& e = parsed->endpoints[0];
  CHECK(e.ipv4 == 0x0ad20302);
  CHECK(e.aliases == std::vector<std::string>{"backend"});
  CHECK(e.ready);
  CHECK(ToJsonLine(*parsed) == ToJsonLine(Sample()));
}

TEST_CASE("announcement: garbage is refused without throwing", "[netd][announcement]") {
  CHECK(ErrorOf("\x01\xff{") == "announcement: not json");
  CHECK(ErrorOf("42") == "announcement: expected a json object");
  CHECK(ErrorOf("{}") == "announcement: host: missing");
}

TEST_CASE("announcement: a bad endpoint address is named", "[netd][announcement]") {
  CHECK(ErrorOf(R"({"host":"lab2","endpoints":[{"network":"n","ipv4":"10.1.2"}]})") ==
        "announcement: endpoints[0].ipv4: not an IPv4 address");
}

TEST_CASE("announcement: a bad network is named", "[netd][announcement]") {
  CHECK(ErrorOf(R"({"host":"lab2","networks":[{"name":"n","subnet":"x","gateway":"10.0.0.1"}]})") ==
        "announcement: networks[0].subnet: not an IPv4 CIDR");
  CHECK(ErrorOf(R"({"host":"lab2","networks":{}})") == "announcement: networks: expected an array");
  CHECK(ErrorOf(R"({"host":"lab2","networks":[7]})") ==
        "announcement: networks[0]: expected an object");
}

TEST_CASE("announcement: wrong member types are named", "[netd][announcement]") {
  CHECK(ErrorOf(R"({"host":"lab2","endpoints":[{"network":"n","ipv4":"10.0.0.2","ready":1}]})") ==
        "announcement: endpoints[0].ready: expected true or false");
  CHECK(
      ErrorOf(R"({"host":"lab2","endpoints":[{"network":"n","ipv4":"10.0.0.2","aliases":[1]}]})") ==
      "announcement: endpoints[0].aliases: expected strings");
}

TEST_CASE("announcement: unknown members are ignored", "[netd][announcement]") {
  auto parsed = ParseAnnouncement(R"({"host":"lab2","future":{"x":1}})");
  REQUIRE(parsed.ok());
  CHECK(parsed->networks.empty());
}

TEST_CASE("announcement: generations and slots round-trip", "[netd][announcement]") {
  Announcement a = Sample();
  a.generations = {{"shop", 8}, {"blog", 2}};
  a.endpoints[0].project = "shop";
  a.endpoints[0].slot = 3;
  auto parsed = ParseAnnouncement(ToJsonLine(a));
  REQUIRE(parsed.ok());
  CHECK(parsed->generations == std::map<std::string, uint64_t>{{"blog", 2}, {"shop", 8}});
  REQUIRE(parsed->endpoints.size() == 1);
  CHECK(parsed->endpoints[0].project == "shop");
  CHECK(parsed->endpoints[0].slot == 3);
  CHECK(ToJsonLine(*parsed) == ToJsonLine(a));
}

TEST_CASE("announcement: an old peer's line still parses", "[netd][announcement]") {
  auto parsed = ParseAnnouncement(
      R"({"host":"lab2","vxlan_mac":"","networks":[],"endpoints":[{"network":"shop_back",)"
      R"("ipv4":"10.210.3.2","service":"api","container":"shop-api-1","aliases":[],)"
      R"("ready":true}]})");
  REQUIRE(parsed.ok());
  CHECK(parsed->generations.empty());
  CHECK(parsed->placements.empty());
  CHECK(parsed->spec_hashes.empty());
  CHECK(parsed->held.empty());
  REQUIRE(parsed->endpoints.size() == 1);
  CHECK(parsed->endpoints[0].project.empty());
  CHECK(parsed->endpoints[0].slot == 0);
  CHECK(parsed->endpoints[0].spec_hash.empty());
}

TEST_CASE("announcement: placements round-trip", "[netd][announcement]") {
  Announcement a = Sample();
  a.generations = {{"shop", 8}};
  a.placements = {{"shop", {{"web", {{1, "lab1"}, {12, "lab3"}}}, {"api", {}}}}};
  std::string line = ToJsonLine(a);
  CHECK(line.find(R"("placements":{"shop":{"api":{},"web":{"1":"lab1","12":"lab3"}}})") !=
        std::string::npos);
  auto parsed = ParseAnnouncement(line);
  REQUIRE(parsed.ok());
  CHECK(parsed->placements == a.placements);
}

TEST_CASE("announcement: a bad placement is named", "[netd][announcement]") {
  CHECK(ErrorOf(R"({"host":"lab2","placements":{"shop":{"web":{"0":"lab1"}}}})") ==
        "announcement: placements.shop: expected {service: {slot: host}}");
  CHECK(ErrorOf(R"({"host":"lab2","placements":{"shop":{"web":{"1":2}}}})") ==
        "announcement: placements.shop: expected {service: {slot: host}}");
  CHECK(ErrorOf(R"({"host":"lab2","placements":[]})") ==
        "announcement: placements: expected an object");
}

TEST_CASE("announcement: spec hashes and held slots round-trip", "[netd][announcement]") {
  Announcement a = Sample();
  a.generations = {{"shop", 8}};
  a.spec_hashes = {{"shop", {{"web", "bb"}, {"api", "cc"}}}};
  a.held = {{"shop", {{"web", {{3, "aa"}}}}}};
  a.endpoints[0].spec_hash = "cc";
  std::string line = ToJsonLine(a);
  CHECK(line.find(R"("spec_hashes":{"shop":{"api":"cc","web":"bb"}})") != std::string::npos);
  CHECK(line.find(R"("held":{"shop":{"web":{"3":"aa"}}})") != std::string::npos);
  CHECK(line.find(R"("spec_hash":"cc")") != std::string::npos);
  auto parsed = ParseAnnouncement(line);
  REQUIRE(parsed.ok());
  CHECK(parsed->spec_hashes == a.spec_hashes);
  CHECK(parsed->held == a.held);
  REQUIRE(parsed->endpoints.size() == 1);
  CHECK(parsed->endpoints[0].spec_hash == "cc");
  CHECK(ToJsonLine(*parsed) == line);
}

TEST_CASE("announcement: without spec hashes the keys are left out", "[netd][announcement]") {
  Announcement a = Sample();
  a.generations = {{"shop", 8}};
  a.spec_hashes = {};
  std::string line = ToJsonLine(a);
  CHECK(line.find("spec_hash") == std::string::npos);
  CHECK(line.find("held") == std::string::npos);
  auto parsed = ParseAnnouncement(line);
  REQUIRE(parsed.ok());
  CHECK(parsed->spec_hashes.empty());
  CHECK(parsed->held.empty());
  CHECK(parsed->endpoints[0].spec_hash.empty());
}

TEST_CASE("announcement: a bad spec hash or held slot is named", "[netd][announcement]") {
  CHECK(ErrorOf(R"({"host":"lab2","spec_hashes":{"shop":{"web":7}}})") ==
        "announcement: spec_hashes.shop: expected {service: spec hash}");
  CHECK(ErrorOf(R"({"host":"lab2","spec_hashes":{"shop":"aa"}})") ==
        "announcement: spec_hashes.shop: expected {service: spec hash}");
  CHECK(ErrorOf(R"({"host":"lab2","spec_hashes":[]})") ==
        "announcement: spec_hashes: expected an object");
  CHECK(ErrorOf(R"({"host":"lab2","held":{"shop":{"web":{"x":"aa"}}}})") ==
        "announcement: held.shop: expected {service: {slot: spec hash}}");
  CHECK(ErrorOf(R"({"host":"lab2","endpoints":[{"network":"n","ipv4":"10.0.0.2",)"
                R"("spec_hash":1}]})") ==
        "announcement: endpoints[0].spec_hash: expected a string");
}

TEST_CASE("announcement: a bad generation is named", "[netd][announcement]") {
  CHECK(ErrorOf(R"({"host":"lab2","generations":{"shop":"8"}})") ==
        "announcement: generations.shop: expected a generation");
  CHECK(ErrorOf(R"({"host":"lab2","generations":[1]})") ==
        "announcement: generations: expected an object");
}

}  // namespace
}  // namespace baton::netd
