// SpansHosts, ParseClusterSpace and AllocateSubnets, declared in
// cluster_subnets.h.

#include "planner/cluster_subnets.h"

#include <arpa/inet.h>

#include <cstdint>
#include <optional>

namespace baton::planner {
namespace {

// A range of addresses, both ends included, in 64 bits so that one past the
// end of 255.255.255.255 does not wrap.
using Range = std::pair<uint64_t, uint64_t>;

uint64_t Size(int prefix) { return uint64_t{1} << (32 - prefix); }

// "10.210.3.7/24" as written: the address and the prefix, host bits kept.
std::optional<Ipv4Net> ParseAddressAndPrefix(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  std::string digits = text.substr(slash + 1);
  if (digits.empty() || digits.size() > 2) return std::nullopt;
  int prefix = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    prefix = prefix * 10 + (c - '0');
  }
  if (prefix > 32) return std::nullopt;
  in_addr address{};
  // inet_pton takes dotted quads only: no octal, hex or short forms.
  if (inet_pton(AF_INET, text.substr(0, slash).c_str(), &address) != 1) return std::nullopt;
  return Ipv4Net{ntohl(address.s_addr), prefix};
}

bool HostBitsClear(const Ipv4Net& net) { return (net.first & (Size(net.prefix) - 1)) == 0; }

Range RangeOf(const Ipv4Net& net) { return {net.first, net.last()}; }

// The lowest slice of `cluster` that overlaps none of `taken`. Walks the
// taken ranges in order, jumping past each one that overlaps the candidate,
// so a crowded space costs one pass over what is taken, not over every slice.
std::optional<uint64_t> LowestFree(const ClusterSpace& cluster, const std::set<Range>& taken) {
  uint64_t slice = Size(cluster.slice_prefix);
  uint64_t end = uint64_t{cluster.space.last()};
  uint64_t candidate = cluster.space.first;
  for (const Range& range : taken) {
    if (candidate + slice - 1 > end) return std::nullopt;
    if (range.second < candidate) continue;
    if (range.first > candidate + slice - 1) break;
    candidate = (range.second + 1 + slice - 1) / slice * slice;  // next slice boundary
  }
  if (candidate + slice - 1 > end) return std::nullopt;
  return candidate;
}

}  // namespace

uint32_t Ipv4Net::last() const { return static_cast<uint32_t>(first + Size(prefix) - 1); }

std::string Ipv4Net::ToString() const {
  return std::to_string(first >> 24) + "." + std::to_string((first >> 16) & 255) + "." +
         std::to_string((first >> 8) & 255) + "." + std::to_string(first & 255) + "/" +
         std::to_string(prefix);
}

bool SpansHosts(const compose::Network& network) {
  if (network.external) return false;
  if (!network.driver.empty() && network.driver != "bridge") return false;
  return !network.ipam || network.ipam->config.empty();
}

bool ParseIpv4Net(const std::string& text, Ipv4Net& net) {
  std::optional<Ipv4Net> parsed = ParseAddressAndPrefix(text);
  if (!parsed || !HostBitsClear(*parsed)) return false;
  net = *parsed;
  return true;
}

Result<ClusterSpace> ParseClusterSpace(const std::string& subnet, int slice_prefix) {
  std::optional<Ipv4Net> space = ParseAddressAndPrefix(subnet);
  if (!space) {
    return Error::Invalid(
        "", "cluster subnet \"" + subnet + "\" is not an IPv4 network like 10.210.0.0/16");
  }
  if (!HostBitsClear(*space)) {
    Ipv4Net cleared{static_cast<uint32_t>(space->first & ~(Size(space->prefix) - 1)),
                    space->prefix};
    return Error::Invalid("", "cluster subnet \"" + subnet + "\" has host bits set (meant " +
                                  cleared.ToString() + "?)");
  }
  if (slice_prefix < space->prefix || slice_prefix > 30) {
    return Error::Invalid("", "cluster slice_prefix " + std::to_string(slice_prefix) +
                                  " must be between " + std::to_string(space->prefix) +
                                  " (the cluster subnet's prefix) and 30");
  }
  return ClusterSpace{*space, slice_prefix};
}

SubnetAllocation AllocateSubnets(const ClusterSpace& cluster,
                                 const std::vector<NetworkOnHost>& needed,
                                 const std::map<NetworkOnHost, std::string>& existing,
                                 const std::set<std::string>& taken) {
  std::set<Range> used;
  Ipv4Net net;
  for (const std::string& subnet : taken)
    if (ParseIpv4Net(subnet, net)) used.insert(RangeOf(net));
  for (const auto& [pair, subnet] : existing)
    if (ParseIpv4Net(subnet, net)) used.insert(RangeOf(net));
  SubnetAllocation out;
  std::set<NetworkOnHost> answered;
  for (const NetworkOnHost& pair : needed) {
    if (!answered.insert(pair).second) continue;
    if (auto it = existing.find(pair); it != existing.end()) {
      out.subnets[pair] = it->second;
      continue;
    }
    std::optional<uint64_t> first = LowestFree(cluster, used);
    if (!first) {
      out.errors.push_back("cluster address space " + cluster.space.ToString() + " has no free /" +
                           std::to_string(cluster.slice_prefix) + " for network " + pair.first +
                           " on " + pair.second);
      continue;
    }
    Ipv4Net slice{static_cast<uint32_t>(*first), cluster.slice_prefix};
    used.insert(RangeOf(slice));
    out.subnets[pair] = slice.ToString();
  }
  return out;
}

}  // namespace baton::planner
