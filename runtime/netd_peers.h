#pragma once
// What each host's netd is told (netd::NetdConfig), made from the hosts
// file: the cluster settings and the address every host is reached at.

#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/netd/netd_config.h"
#include "transport/host_config.h"

namespace baton::runtime {

// Resolves a host name to one IPv4 address ("10.209.0.12").
using AddressResolver = std::function<Result<std::string>(const std::string& name)>;

// getaddrinfo on this machine, IPv4 only. kNotFound when the name has no
// IPv4 address.
Result<std::string> ResolveIPv4(const std::string& name);

// Every host with the address the others reach it at: its cluster_address,
// else its SSH host when that is an IPv4 address, else that name resolved
// by `resolve`; the local engine's host (no SSH) is 127.0.0.1 when it is
// the only host. kInvalid at "host NAME" when an address cannot be found.
Result<std::vector<netd::Peer>> ClusterPeers(const std::vector<transport::HostConfig>& hosts,
                                             const AddressResolver& resolve);

// netd's config on `host` (one of `peers`). kInvalid at "hosts file" for an
// overlay mode netd does not know.
Result<netd::NetdConfig> MakeNetdConfig(const transport::ClusterSettings& cluster,
                                        const std::vector<netd::Peer>& peers,
                                        const std::string& host);

}  // namespace baton::runtime
