#include <catch2/catch.hpp>

#include "runtime/netd/netd_config.h"

namespace baton::netd {
namespace {

NetdConfig TwoHosts() {
  NetdConfig config;
  config.host = "lab1";
  config.dns_upstream = {"10.209.0.1"};
  config.hosts = {{"lab1", "10.209.0.11"}, {"lab2", "10.209.0.12"}};
  return config;
}

std::string ErrorOf(const std::string& json) {
  auto parsed = ParseNetdConfig(json);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == Error::Kind::kInvalid);
  return parsed.error().ToString();
}

constexpr char kHosts[] = R"("hosts":[{"name":"lab1","address":"10.209.0.11"}])";

TEST_CASE("netd config: json is canonical", "[netd][config]") {
  CHECK(ToJson(TwoHosts()) ==
        R"({"cluster":"10.210.0.0/16","dns_upstream":["10.209.0.1"],"host":"lab1",)"
        R"("hosts":[{"address":"10.209.0.11","name":"lab1"},{"address":"10.209.0.12",)"
        R"("name":"lab2"}],"overlay":"auto","sync_port":7947,"vxlan_id":4210,"vxlan_port":4789})");
}

TEST_CASE("netd config: round trip keeps every field", "[netd][config]") {
  NetdConfig config = TwoHosts();
  config.cluster = "10.50.0.0/16";
  config.overlay = OverlayMode::kVxlan;
  config.sync_port = 9000;
  config.vxlan_id = 77;
  config.vxlan_port = 8472;
  auto parsed = ParseNetdConfig(ToJson(config));
  REQUIRE(parsed.ok());
  CHECK(ToJson(*parsed) == ToJson(config));
  CHECK(parsed->overlay == OverlayMode::kVxlan);
  CHECK(parsed->hosts.size() == 2);
}

TEST_CASE("netd config: missing optional members take the defaults", "[netd][config]") {
  auto parsed = ParseNetdConfig(std::string(R"({"host":"lab1",)") + kHosts + "}");
  REQUIRE(parsed.ok());
  CHECK(parsed->cluster == "10.210.0.0/16");
  CHECK(parsed->overlay == OverlayMode::kAuto);
  CHECK(parsed->sync_port == 7947);
  CHECK(parsed->dns_upstream.empty());
}

TEST_CASE("netd config: self is this host's entry", "[netd][config]") {
  NetdConfig config = TwoHosts();
  config.host = "lab2";
  REQUIRE(config.Self() != nullptr);
  CHECK(config.Self()->address == "10.209.0.12");
  config.host = "lab9";
  CHECK(config.Self() == nullptr);
}

TEST_CASE("netd config: overlay mode names", "[netd][config]") {
  CHECK(OverlayModeName(OverlayMode::kAuto) == "auto");
  CHECK(OverlayModeName(OverlayMode::kRoutes) == "routes");
  CHECK(OverlayModeName(OverlayMode::kVxlan) == "vxlan");
}

TEST_CASE("netd config: not json is refused", "[netd][config]") {
  CHECK(ErrorOf("{\"host\":") == "netd config: not json (byte 9)");
  CHECK(ErrorOf("[1]") == "netd config: expected a json object");
}

TEST_CASE("netd config: bad cidr is named", "[netd][config]") {
  CHECK(ErrorOf(std::string(R"({"host":"lab1","cluster":"10.210.0.0/33",)") + kHosts + "}") ==
        "netd config: cluster: \"10.210.0.0/33\" is not an IPv4 CIDR");
}

TEST_CASE("netd config: unknown overlay mode is named", "[netd][config]") {
  CHECK(ErrorOf(std::string(R"({"host":"lab1","overlay":"gre",)") + kHosts + "}") ==
        "netd config: overlay: unknown mode \"gre\" (auto, routes, vxlan)");
}

TEST_CASE("netd config: a host without an ipv4 address is named", "[netd][config]") {
  CHECK(ErrorOf(R"({"host":"lab1","hosts":[{"name":"lab1","address":"lab1.example"}]})") ==
        "netd config: hosts[0].address: \"lab1.example\" is not an IPv4 address");
  CHECK(ErrorOf(R"({"host":"lab1","hosts":[{"name":"lab1"}]})") ==
        "netd config: hosts[0].address: missing");
}

TEST_CASE("netd config: host must be among hosts", "[netd][config]") {
  CHECK(ErrorOf(std::string(R"({"host":"lab7",)") + kHosts + "}") ==
        "netd config: host: \"lab7\" is not among hosts");
}

TEST_CASE("netd config: ports out of range are named", "[netd][config]") {
  CHECK(ErrorOf(std::string(R"({"host":"lab1","sync_port":70000,)") + kHosts + "}") ==
        "netd config: sync_port: expected an integer 1-65535");
  CHECK(ErrorOf(std::string(R"({"host":"lab1","vxlan_id":-1,)") + kHosts + "}") ==
        "netd config: vxlan_id: expected an integer 1-16777215");
}

TEST_CASE("netd config: unknown keys and duplicate hosts are refused", "[netd][config]") {
  CHECK(ErrorOf(std::string(R"({"host":"lab1","mtu":1400,)") + kHosts + "}") ==
        "netd config: mtu: unknown key");
  CHECK(ErrorOf(R"({"host":"lab1","hosts":[{"name":"lab1","address":"10.0.0.1"},)"
                R"({"name":"lab1","address":"10.0.0.2"}]})") ==
        "netd config: hosts[1].name: duplicate \"lab1\"");
}

TEST_CASE("netd config: upstreams must be ipv4 addresses", "[netd][config]") {
  CHECK(ErrorOf(std::string(R"({"host":"lab1","dns_upstream":["dns.google"],)") + kHosts +
                "}") == "netd config: dns_upstream[0]: expected an IPv4 address");
}

}  // namespace
}  // namespace baton::netd
