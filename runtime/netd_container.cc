#include "runtime/netd_container.h"

#include <utility>

#include "base/sha256.h"
#include "planner/labels.h"

namespace baton::runtime {

namespace labels = planner::labels;

std::string NetdSpecHash(const std::string& image_tag, const std::string& config_json,
                         const std::string& host_socket) {
  // Newline-separated: none of the three holds a raw newline (the JSON is compact).
  return Sha256Hex(image_tag + "\n" + config_json + "\n" + host_socket);
}

ContainerSpec MakeNetdContainerSpec(const std::string& image_tag, const netd::NetdConfig& config,
                                    const std::string& host_socket) {
  std::string config_json = netd::ToJson(config);
  ContainerSpec spec;
  spec.name = labels::kNetdContainer;
  spec.image = image_tag;
  spec.cmd = std::vector<std::string>{"/baton-netd", "run", config_json};
  spec.labels = {{labels::kRole, labels::kNetdRole},
                 {labels::kManaged, "true"},
                 {labels::kSpecHash, NetdSpecHash(image_tag, config_json, host_socket)}};
  spec.host_config.network_mode = "host";
  spec.host_config.restart_policy.name = "unless-stopped";
  // The host's root read-only for its iptables, ip and resolv.conf (netd
  // runs them chrooted there); /run writable for the locks they take.
  spec.host_config.binds = {"/:/host:ro", "/run:/host/run", host_socket + ":" + kNetdDockerSocket};
  spec.extra = {{"HostConfig", {{"CapAdd", {"NET_ADMIN", "NET_RAW"}}}}};
  return spec;
}

std::map<std::string, std::string> NetdDeployment::SpecHashes() const {
  std::map<std::string, std::string> hashes;
  for (const auto& [host, spec] : containers) {
    auto hash = spec.labels.find(labels::kSpecHash);
    if (hash != spec.labels.end()) hashes[host] = hash->second;
  }
  return hashes;
}

Result<NetdDeployment> PrepareNetd(NetdImage image, const transport::ClusterSettings& cluster,
                                   const std::vector<transport::HostConfig>& hosts,
                                   const AddressResolver& resolve) {
  Result<std::vector<netd::Peer>> peers = ClusterPeers(hosts, resolve);
  if (!peers.ok()) return peers.error();
  NetdDeployment deployment;
  deployment.image = std::move(image);
  for (const transport::HostConfig& host : hosts) {
    Result<netd::NetdConfig> config = MakeNetdConfig(cluster, *peers, host.name);
    if (!config.ok()) return config.error();
    deployment.containers[host.name] =
        MakeNetdContainerSpec(deployment.image.tag, *config, host.socket);
  }
  return deployment;
}

}  // namespace baton::runtime
