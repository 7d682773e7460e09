// The hosts file's cluster networking keys: `cluster:` and per-host
// `cluster_address`.

#include <catch2/catch.hpp>

#include "transport/hosts_file.h"

namespace baton::transport {
namespace {

constexpr const char* kHosts = "hosts:\n  - {name: a, address: ssh://a}\n";

HostsFile Parsed(const std::string& text) {
  auto parsed = ParseHostsFile("baton.hosts.yaml", text);
  if (!parsed.ok()) FAIL(parsed.error().ToString());
  return *parsed;
}

std::string ErrorOf(const std::string& text) {
  auto parsed = ParseHostsFile("baton.hosts.yaml", text);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == Error::Kind::kInvalid);
  return parsed.error().ToString();
}

// A hosts file with `cluster:` holding `body` (indented mapping lines).
std::string WithCluster(const std::string& body) {
  return std::string(kHosts) + "cluster:\n" + body;
}

TEST_CASE("hosts file cluster: every key is read", "[transport][hosts_file]") {
  HostsFile file =
      Parsed(WithCluster("  subnet: 172.30.0.0/20\n"
                         "  slice_prefix: 26\n"
                         "  overlay: vxlan\n"
                         "  dns_upstream: [10.209.0.1, 1.1.1.1]\n"
                         "  sync_port: 8000\n"));
  CHECK(file.cluster.subnet == "172.30.0.0/20");
  CHECK(file.cluster.slice_prefix == 26);
  CHECK(file.cluster.overlay == "vxlan");
  CHECK(file.cluster.dns_upstream == std::vector<std::string>{"10.209.0.1", "1.1.1.1"});
  CHECK(file.cluster.sync_port == 8000);
}

TEST_CASE("hosts file cluster: without cluster the defaults hold", "[transport][hosts_file]") {
  for (std::string text : {std::string(kHosts), WithCluster(""), WithCluster("  {}\n")}) {
    HostsFile file = Parsed(text);
    CHECK(file.cluster.subnet == "10.210.0.0/16");
    CHECK(file.cluster.slice_prefix == 24);
    CHECK(file.cluster.overlay == "auto");
    CHECK(file.cluster.dns_upstream.empty());
    CHECK(file.cluster.sync_port == 7947);
  }
}

TEST_CASE("hosts file cluster: the lab's cluster line is read", "[transport][hosts_file]") {
  HostsFile file = Parsed(WithCluster("  dns_upstream: [10.209.0.1]\n"));
  CHECK(file.cluster.dns_upstream == std::vector<std::string>{"10.209.0.1"});
  CHECK(file.cluster.subnet == "10.210.0.0/16");
}

TEST_CASE("hosts file cluster: a host's cluster address is read", "[transport][hosts_file]") {
  HostsFile file = Parsed(
      "hosts:\n"
      "  - {name: a, address: ssh://a, cluster_address: 192.168.5.10}\n"
      "  - {name: b, address: ssh://b}\n");
  CHECK(file.hosts[0].cluster_address == "192.168.5.10");
  CHECK(file.hosts[1].cluster_address.empty());
}

TEST_CASE("hosts file cluster: a cluster address must be an IPv4 address",
          "[transport][hosts_file]") {
  CHECK(ErrorOf("hosts:\n  - {name: a, address: ssh://a, cluster_address: node-a}\n") ==
        "baton.hosts.yaml:2:50: hosts[0].cluster_address: expected an IPv4 address, got "
        "\"node-a\"");
}

TEST_CASE("hosts file cluster: unknown cluster keys are refused", "[transport][hosts_file]") {
  CHECK(ErrorOf(WithCluster("  subnets: 10.0.0.0/8\n")) ==
        "baton.hosts.yaml:4:3: cluster.subnets: unknown key (expected one of subnet, "
        "slice_prefix, overlay, dns_upstream, sync_port)");
}

TEST_CASE("hosts file cluster: cluster must be a mapping", "[transport][hosts_file]") {
  CHECK(ErrorOf(std::string(kHosts) + "cluster: 10.0.0.0/8\n") ==
        "baton.hosts.yaml:3:10: cluster: expected a mapping, got a string");
}

TEST_CASE("hosts file cluster: the subnet must be an IPv4 network", "[transport][hosts_file]") {
  CHECK(ErrorOf(WithCluster("  subnet: fd00::/8\n")) ==
        "baton.hosts.yaml:4:11: cluster.subnet: expected an IPv4 network like 10.210.0.0/16, got "
        "\"fd00::/8\"");
  CHECK(ErrorOf(WithCluster("  subnet: 10.210.0.0\n")) ==
        "baton.hosts.yaml:4:11: cluster.subnet: expected an IPv4 network like 10.210.0.0/16, got "
        "\"10.210.0.0\"");
  CHECK(ErrorOf(WithCluster("  subnet: 10.210.0.0/33\n")) ==
        "baton.hosts.yaml:4:11: cluster.subnet: expected an IPv4 network like 10.210.0.0/16, got "
        "\"10.210.0.0/33\"");
}

TEST_CASE("hosts file cluster: a subnet with host bits set is refused", "[transport][hosts_file]") {
  CHECK(ErrorOf(WithCluster("  subnet: 10.210.3.0/16\n")) ==
        "baton.hosts.yaml:4:11: cluster.subnet: \"10.210.3.0/16\" has host bits set (meant "
        "10.210.0.0/16?)");
}

TEST_CASE("hosts file cluster: the slice prefix must be a number", "[transport][hosts_file]") {
  CHECK(ErrorOf(WithCluster("  slice_prefix: /24\n")) ==
        "baton.hosts.yaml:4:17: cluster.slice_prefix: expected a prefix length 0-32, got \"/24\"");
}

TEST_CASE("hosts file cluster: the slice prefix must fit the subnet", "[transport][hosts_file]") {
  CHECK(ErrorOf(WithCluster("  slice_prefix: 12\n  subnet: 10.0.0.0/14\n")) ==
        "baton.hosts.yaml:4:17: cluster.slice_prefix: slice prefix 12 must be between 14 (the "
        "prefix of cluster.subnet) and 30");
  CHECK(ErrorOf(WithCluster("  slice_prefix: 31\n")) ==
        "baton.hosts.yaml:4:17: cluster.slice_prefix: slice prefix 31 must be between 16 (the "
        "prefix of cluster.subnet) and 30");
}

TEST_CASE("hosts file cluster: a subnet smaller than the default slice is located at the subnet",
          "[transport][hosts_file]") {
  CHECK(ErrorOf(WithCluster("  subnet: 10.0.0.0/28\n")) ==
        "baton.hosts.yaml:4:3: cluster.slice_prefix: slice prefix 24 must be between 28 (the "
        "prefix of cluster.subnet) and 30");
}

TEST_CASE("hosts file cluster: the overlay is auto, routes or vxlan", "[transport][hosts_file]") {
  CHECK(Parsed(WithCluster("  overlay: routes\n")).cluster.overlay == "routes");
  CHECK(ErrorOf(WithCluster("  overlay: wireguard\n")) ==
        "baton.hosts.yaml:4:12: cluster.overlay: expected one of auto, routes, vxlan, got "
        "\"wireguard\"");
}

TEST_CASE("hosts file cluster: dns upstreams must be IPv4 addresses", "[transport][hosts_file]") {
  CHECK(ErrorOf(WithCluster("  dns_upstream: 10.209.0.1\n")) ==
        "baton.hosts.yaml:4:17: cluster.dns_upstream: expected a sequence, got a string");
  CHECK(ErrorOf(WithCluster("  dns_upstream: [10.209.0.1, dns.example]\n")) ==
        "baton.hosts.yaml:4:30: cluster.dns_upstream[1]: expected an IPv4 address, got "
        "\"dns.example\"");
  CHECK(ErrorOf(WithCluster("  dns_upstream: [[1.1.1.1]]\n")) ==
        "baton.hosts.yaml:4:18: cluster.dns_upstream[0]: expected an IPv4 address, got a sequence");
}

TEST_CASE("hosts file cluster: the sync port is 1-65535", "[transport][hosts_file]") {
  CHECK(ErrorOf(WithCluster("  sync_port: 70000\n")) ==
        "baton.hosts.yaml:4:14: cluster.sync_port: expected a port 1-65535, got \"70000\"");
  CHECK(ErrorOf(WithCluster("  sync_port: 0\n")) ==
        "baton.hosts.yaml:4:14: cluster.sync_port: expected a port 1-65535, got \"0\"");
}

TEST_CASE("hosts file cluster: an empty cluster value is located at its key",
          "[transport][hosts_file]") {
  CHECK(ErrorOf(WithCluster("  overlay:\n")) ==
        "baton.hosts.yaml:4:3: cluster.overlay: expected a string, got nothing");
}

}  // namespace
}  // namespace baton::transport
