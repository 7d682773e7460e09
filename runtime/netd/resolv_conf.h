#pragma once
// Where netd forwards names that are not the cluster's when the hosts file
// names no dns_upstream: the host's own resolvers, from its resolv.conf.

#include <string>
#include <string_view>
#include <vector>

namespace baton::netd {

// The IPv4 `nameserver` addresses of a resolv.conf, in order. IPv6 and
// anything that is not a numeric address (netd has no name service) are
// skipped, as are comments and other options.
std::vector<std::string> ParseResolvConfNameservers(std::string_view text);

// Reads <root>/etc/resolv.conf, following symbolic links inside `root` (an
// absolute link such as /run/systemd/resolve/stub-resolv.conf is taken
// relative to root, as the host sees it). Empty when it cannot be read.
std::vector<std::string> ReadHostNameservers(const std::string& root);

}  // namespace baton::netd
