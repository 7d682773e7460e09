// netd's container spec, its spec hash, and each host's config from the
// hosts file (addresses, cluster settings).

#include "runtime/netd_container.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "base/sha256.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using Strings = std::vector<std::string>;

transport::HostConfig Host(const std::string& name, const std::string& ssh_host) {
  transport::HostConfig host;
  host.name = name;
  host.ssh.host = ssh_host;
  return host;
}

// Resolves only "lab3.example", as a resolver that knows one name would.
Result<std::string> FakeResolve(const std::string& name) {
  if (name == "lab3.example") return std::string("10.209.0.13");
  return Error::NotFound(name, "Name or service not known");
}

netd::NetdConfig Config() {
  netd::NetdConfig config;
  config.host = "lab1";
  config.hosts = {{"lab1", "10.209.0.11"}, {"lab2", "10.209.0.12"}};
  return config;
}

TEST_CASE("netd container: name, image, command and labels", "[runtime][netd-container]") {
  netd::NetdConfig config = Config();
  ContainerSpec spec = MakeNetdContainerSpec("baton/netd:0123456789ab", config, "/run/d.sock");
  CHECK(spec.name == "baton-netd");
  CHECK(spec.image == "baton/netd:0123456789ab");
  CHECK(spec.cmd == Strings{"/baton-netd", "run", netd::ToJson(config)});
  CHECK(spec.labels ==
        Labels{{"baton.role", "netd"},
               {"baton.managed", "true"},
               {"baton.spec-hash",
                NetdSpecHash("baton/netd:0123456789ab", netd::ToJson(config), "/run/d.sock")}});
}

TEST_CASE("netd container: host network, capabilities, restart and binds",
          "[runtime][netd-container]") {
  ContainerSpec spec = MakeNetdContainerSpec("baton/netd:0123456789ab", Config(), "/run/d.sock");
  CHECK(spec.host_config.network_mode == "host");
  CHECK(spec.host_config.restart_policy.name == "unless-stopped");
  CHECK(spec.host_config.binds ==
        Strings{"/:/host:ro", "/run:/host/run", "/run/d.sock:/var/run/docker.sock"});
  CHECK(spec.extra == json::parse(R"({"HostConfig": {"CapAdd": ["NET_ADMIN", "NET_RAW"]}})"));
  CHECK(spec.networks.empty());
}

TEST_CASE("netd container: the spec hash changes with image, config and socket",
          "[runtime][netd-container]") {
  std::string base = NetdSpecHash("baton/netd:a", "{}", "/s");
  CHECK(base == Sha256Hex("baton/netd:a\n{}\n/s"));
  CHECK(NetdSpecHash("baton/netd:b", "{}", "/s") != base);
  CHECK(NetdSpecHash("baton/netd:a", "{\"x\":1}", "/s") != base);
  CHECK(NetdSpecHash("baton/netd:a", "{}", "/t") != base);
}

TEST_CASE("netd peers: cluster_address, else an IPv4 ssh host, else the name resolved",
          "[runtime][netd-container]") {
  transport::HostConfig lab1 = Host("lab1", "h1.example");
  lab1.cluster_address = "10.209.0.11";
  auto peers =
      ClusterPeers({lab1, Host("lab2", "10.209.0.12"), Host("lab3", "lab3.example")}, FakeResolve);
  REQUIRE(peers.ok());
  REQUIRE(peers->size() == 3);
  CHECK((*peers)[0].name == "lab1");
  CHECK((*peers)[0].address == "10.209.0.11");
  CHECK((*peers)[1].address == "10.209.0.12");
  CHECK((*peers)[2].address == "10.209.0.13");
}

TEST_CASE("netd peers: a host whose address cannot be found is named",
          "[runtime][netd-container]") {
  auto peers =
      ClusterPeers({Host("lab1", "10.209.0.11"), Host("lab4", "nowhere.example")}, FakeResolve);
  REQUIRE_FALSE(peers.ok());
  CHECK(peers.error().ToString() ==
        "host lab4: cannot find the cluster address of \"nowhere.example\" (Name or service not "
        "known); set its cluster_address");
}

TEST_CASE("netd peers: a cluster_address that is not IPv4 is refused",
          "[runtime][netd-container]") {
  transport::HostConfig lab1 = Host("lab1", "10.209.0.11");
  lab1.cluster_address = "fd00::1";
  auto peers = ClusterPeers({lab1}, FakeResolve);
  REQUIRE_FALSE(peers.ok());
  CHECK(peers.error().ToString() ==
        "host lab1: cluster_address \"fd00::1\" is not an IPv4 address");
}

TEST_CASE("netd peers: the local engine alone is at loopback", "[runtime][netd-container]") {
  transport::HostConfig local;
  local.name = "local";
  auto peers = ClusterPeers({local}, FakeResolve);
  REQUIRE(peers.ok());
  CHECK(peers->at(0).address == "127.0.0.1");
}

TEST_CASE("netd config: the hosts file's cluster settings and every host",
          "[runtime][netd-container]") {
  transport::ClusterSettings cluster;
  cluster.subnet = "10.220.0.0/16";
  cluster.overlay = "vxlan";
  cluster.dns_upstream = {"10.209.0.1"};
  cluster.sync_port = 7000;
  std::vector<netd::Peer> peers = {{"lab1", "10.209.0.11"}, {"lab2", "10.209.0.12"}};
  auto config = MakeNetdConfig(cluster, peers, "lab2");
  REQUIRE(config.ok());
  CHECK(config->host == "lab2");
  CHECK(config->cluster == "10.220.0.0/16");
  CHECK(config->overlay == netd::OverlayMode::kVxlan);
  CHECK(config->sync_port == 7000);
  CHECK(config->dns_upstream == Strings{"10.209.0.1"});
  REQUIRE(config->hosts.size() == 2);
  CHECK(config->hosts[1].address == "10.209.0.12");
}

TEST_CASE("netd deployment: one container per host, hashes by host", "[runtime][netd-container]") {
  transport::HostConfig lab2 = Host("lab2", "10.209.0.12");
  lab2.socket = "/run/docker.sock";
  auto deployment = PrepareNetd({"baton/netd:0123456789ab", "bin", ""}, {},
                                {Host("lab1", "10.209.0.11"), lab2}, FakeResolve);
  REQUIRE(deployment.ok());
  REQUIRE(deployment->containers.size() == 2);
  const ContainerSpec& spec = deployment->containers.at("lab2");
  CHECK(spec.host_config.binds.back() == "/run/docker.sock:/var/run/docker.sock");
  auto hashes = deployment->SpecHashes();
  CHECK(hashes.at("lab2") == spec.labels.at("baton.spec-hash"));
  CHECK(hashes.at("lab1") != hashes.at("lab2"));  // each host's config names itself
}

}  // namespace
}  // namespace baton::runtime
