#pragma once
// Cluster networking (issue 5): which networks span hosts, and the subnet
// each (network, host) pair of a spanned network gets from the cluster
// address space. Pure: the same inputs always give the same subnets, so
// every run of `plan` and `up` agrees, wherever it runs.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "compose/model.h"

namespace baton::planner {

// True for a network that spans hosts: not external, the bridge driver
// (named or by default) and no user `ipam.config` pools. Every other network
// stays host-local, exactly as Docker makes it.
bool SpansHosts(const compose::Network& network);

// An IPv4 network: the first address (host byte order) and the prefix length.
struct Ipv4Net {
  uint32_t first = 0;
  int prefix = 0;
  uint32_t last() const;         // the last address it holds
  std::string ToString() const;  // "10.210.3.0/24"
};

// "10.210.3.0/24" -> Ipv4Net; false on anything else: a prefix outside 0-32,
// an address that is not a dotted quad, or bits set past the prefix.
bool ParseIpv4Net(const std::string& text, Ipv4Net& net);

// The cluster address space and the size of the slice each pair gets.
struct ClusterSpace {
  Ipv4Net space;
  int slice_prefix = 24;
};

// Checks the hosts file's `cluster.subnet` and `cluster.slice_prefix`: an
// IPv4 network, and space prefix <= slice_prefix <= 30 (a /31 or /32 has no
// room for a gateway and a container). kInvalid with an empty `where`:
//   cluster subnet "10.210.0.0/33" is not an IPv4 network like 10.210.0.0/16
//   cluster slice_prefix 12 must be between 16 (the cluster subnet's prefix) and 30
Result<ClusterSpace> ParseClusterSpace(const std::string& subnet, int slice_prefix);

// (engine network name, hosts-file host name).
using NetworkOnHost = std::pair<std::string, std::string>;

struct SubnetAllocation {
  std::map<NetworkOnHost, std::string> subnets;  // every pair that got one
  // One per pair that got none: "cluster address space 10.210.0.0/16 has no
  // free /24 for network shop_back on lab3".
  std::vector<std::string> errors;
};

// A subnet for each pair of `needed`, taken in the order given: a pair in
// `existing` keeps its subnet (even one outside today's space: its network
// exists with it); any other gets the lowest slice of `cluster` that overlaps
// nothing in `taken` (every subnet in use on any host, of any project;
// unparsable entries are ignored) nor a subnet handed out before it.
// Duplicate pairs are answered once.
SubnetAllocation AllocateSubnets(const ClusterSpace& cluster,
                                 const std::vector<NetworkOnHost>& needed,
                                 const std::map<NetworkOnHost, std::string>& existing,
                                 const std::set<std::string>& taken);

}  // namespace baton::planner
