#include "runtime/netd_peers.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <memory>

namespace baton::runtime {
namespace {

struct AddrInfoFree {
  void operator()(addrinfo* info) const { ::freeaddrinfo(info); }
};

bool IsIPv4(const std::string& text) {
  in_addr address{};
  return ::inet_pton(AF_INET, text.c_str(), &address) == 1;
}

Result<std::string> AddressOf(const transport::HostConfig& host, size_t host_count,
                              const AddressResolver& resolve) {
  const std::string where = "host " + host.name;
  if (!host.cluster_address.empty()) {
    if (IsIPv4(host.cluster_address)) return host.cluster_address;
    return Error::Invalid(
        where, "cluster_address \"" + host.cluster_address + "\" is not an IPv4 address");
  }
  if (host.is_local()) {
    // Alone, the local host has no peer that would need to reach it.
    if (host_count == 1) return std::string("127.0.0.1");
    return Error::Invalid(where,
                          "set its cluster_address: the other hosts need an address to "
                          "reach the local engine's host at");
  }
  if (IsIPv4(host.ssh.host)) return host.ssh.host;
  Result<std::string> resolved = resolve(host.ssh.host);
  if (!resolved.ok())
    return Error::Invalid(where, "cannot find the cluster address of \"" + host.ssh.host + "\" (" +
                                     resolved.error().message + "); set its cluster_address");
  return resolved;
}

}  // namespace

Result<std::string> ResolveIPv4(const std::string& name) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int code = ::getaddrinfo(name.c_str(), nullptr, &hints, &found);
  std::unique_ptr<addrinfo, AddrInfoFree> owned(found);
  if (code != 0 || found == nullptr)
    return Error::NotFound(name, code != 0 ? gai_strerror(code) : "no IPv4 address");
  char text[INET_ADDRSTRLEN];
  auto* address = reinterpret_cast<sockaddr_in*>(found->ai_addr);
  if (::inet_ntop(AF_INET, &address->sin_addr, text, sizeof text) == nullptr)
    return Error::Internal(name, "cannot print its address");
  return std::string(text);
}

Result<std::vector<netd::Peer>> ClusterPeers(const std::vector<transport::HostConfig>& hosts,
                                             const AddressResolver& resolve) {
  std::vector<netd::Peer> peers;
  for (const transport::HostConfig& host : hosts) {
    Result<std::string> address = AddressOf(host, hosts.size(), resolve);
    if (!address.ok()) return address.error();
    peers.push_back({host.name, *address});
  }
  return peers;
}

Result<netd::NetdConfig> MakeNetdConfig(const transport::ClusterSettings& cluster,
                                        const std::vector<netd::Peer>& peers,
                                        const std::string& host) {
  netd::NetdConfig config;
  config.host = host;
  config.cluster = cluster.subnet;
  if (cluster.overlay == "auto") {
    config.overlay = netd::OverlayMode::kAuto;
  } else if (cluster.overlay == "routes") {
    config.overlay = netd::OverlayMode::kRoutes;
  } else if (cluster.overlay == "vxlan") {
    config.overlay = netd::OverlayMode::kVxlan;
  } else {
    return Error::Invalid("hosts file", "cluster.overlay \"" + cluster.overlay +
                                            "\" is not one of auto, routes, vxlan");
  }
  config.sync_port = cluster.sync_port;
  config.dns_upstream = cluster.dns_upstream;
  config.hosts = peers;
  return config;
}

}  // namespace baton::runtime
