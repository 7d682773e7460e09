#pragma once
// The network helper's container on each host (one per host, shared by
// every project there): how it is asked of the engine, and everything
// `plan` and `up` need to deploy it.
//
//   name baton-netd, image baton/netd:<hash>, Cmd ["/baton-netd", "run", CONFIG JSON]
//   labels baton.role=netd, baton.managed=true, baton.spec-hash=HASH
//   host network, cap_add NET_ADMIN NET_RAW, restart unless-stopped
//   binds /:/host:ro, /run:/host/run, HOST SOCKET:/var/run/docker.sock
//
// The spec hash covers the image tag, the config and the socket path, so a
// new baton-netd binary or a changed hosts file recreates netd, and scaling
// a project never does.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/docker_containers.h"
#include "runtime/netd/netd_config.h"
#include "runtime/netd_image.h"
#include "runtime/netd_peers.h"
#include "transport/host_config.h"

namespace baton::runtime {

// netd removes its routes, rules and devices on SIGTERM: give it time.
inline constexpr std::chrono::seconds kNetdStopGrace{10};
// Where netd finds its engine inside the container.
inline constexpr char kNetdDockerSocket[] = "/var/run/docker.sock";

// Hex SHA-256 over the three things that shape the container.
std::string NetdSpecHash(const std::string& image_tag, const std::string& config_json,
                         const std::string& host_socket);

// The container for `config.host`, whose Docker socket is `host_socket`.
ContainerSpec MakeNetdContainerSpec(const std::string& image_tag, const netd::NetdConfig& config,
                                    const std::string& host_socket);

// netd as `up` deploys it: the image and each host's container.
struct NetdDeployment {
  NetdImage image;
  std::map<std::string, ContainerSpec> containers;  // by hosts-file name
  // Each host's wanted baton.spec-hash, for UpOptions::netd_hashes.
  std::map<std::string, std::string> SpecHashes() const;
};

// The containers of every host of the hosts file (ClusterPeers and
// MakeNetdConfig's errors).
Result<NetdDeployment> PrepareNetd(NetdImage image, const transport::ClusterSettings& cluster,
                                   const std::vector<transport::HostConfig>& hosts,
                                   const AddressResolver& resolve = ResolveIPv4);

}  // namespace baton::runtime
