#include "runtime/netd/iptables_rules.h"

#include <map>
#include <set>

#include "runtime/netd/ipv4.h"

namespace baton::netd {
namespace {

// Orders slices by address, not by text ("10.210.10.0" after "10.210.9.0").
struct SliceOrder {
  bool operator()(const Ipv4Cidr& a, const Ipv4Cidr& b) const {
    return a.network != b.network ? a.network < b.network : a.prefix < b.prefix;
  }
};
using Slices = std::set<Ipv4Cidr, SliceOrder>;

std::string Format(const Ipv4Cidr& cidr) {
  return FormatIpv4(cidr.network) + "/" + std::to_string(cidr.prefix);
}

void AddSlice(const Ipv4Cidr& cluster, const HostNetwork& network,
              std::map<std::string, Slices>& by_name) {
  auto subnet = ParseIpv4Cidr(network.subnet);
  if (subnet && subnet->prefix >= cluster.prefix && CidrContains(cluster, subnet->network))
    by_name[network.name].insert(*subnet);
}

std::string Table(const std::string& table, const std::string& chain,
                  const std::vector<std::string>& rules) {
  std::string text = "*" + table + "\n:" + chain + " - [0:0]\n";
  for (const std::string& rule : rules) text += "-A " + chain + " " + rule + "\n";
  return text + "COMMIT\n";
}

std::string ClusterText(const NetdConfig& config) {
  auto cluster = ParseIpv4Cidr(config.cluster);
  return cluster ? Format(*cluster) : config.cluster;
}

// The lines of an `iptables -S` listing that append to `parent`, in order.
std::vector<std::string_view> RulesOf(std::string_view listing, std::string_view parent) {
  std::vector<std::string_view> rules;
  std::string prefix = "-A " + std::string(parent) + " ";
  while (!listing.empty()) {
    size_t end = listing.find('\n');
    std::string_view line = listing.substr(0, end);
    if (line.substr(0, prefix.size()) == prefix) rules.push_back(line);
    listing = end == std::string_view::npos ? "" : listing.substr(end + 1);
  }
  return rules;
}

std::string JumpLine(std::string_view parent, std::string_view chain) {
  return "-A " + std::string(parent) + " -j " + std::string(chain);
}

}  // namespace

const std::vector<ChainJump>& NetdChainJumps() {
  static const std::vector<ChainJump> jumps = {
      {"filter", "DOCKER-USER", kForwardChain},
      {"nat", "POSTROUTING", kNatChain},
      {"mangle", "FORWARD", kMangleChain},
  };
  return jumps;
}

std::string FilterRulesText(const NetdConfig& config, const DataplaneInput& input) {
  std::vector<std::string> rules;
  auto cluster = ParseIpv4Cidr(config.cluster);
  if (cluster) {
    std::map<std::string, Slices> by_name;
    for (const HostNetwork& network : input.local) AddSlice(*cluster, network, by_name);
    for (const RemoteHost& remote : input.remote)
      if (remote.peer.name != config.host)
        for (const HostNetwork& network : remote.networks) AddSlice(*cluster, network, by_name);
    for (const auto& [name, slices] : by_name)
      for (const Ipv4Cidr& from : slices)
        for (const Ipv4Cidr& to : slices)
          rules.push_back("-s " + Format(from) + " -d " + Format(to) + " -j ACCEPT");
  }
  std::string all = ClusterText(config);
  rules.push_back("-s " + all + " -d " + all + " -j DROP");
  return Table("filter", kForwardChain, rules);
}

std::string NatRulesText(const NetdConfig& config) {
  std::string all = ClusterText(config);
  return Table("nat", kNatChain, {"-s " + all + " -d " + all + " -j ACCEPT"});
}

std::string MangleRulesText(const NetdConfig& config) {
  std::vector<std::string> rules;
  if (config.overlay != OverlayMode::kRoutes)
    rules.push_back("-o " + std::string(kVxlanDevice) +
                    " -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu");
  return Table("mangle", kMangleChain, rules);
}

bool ListingHasChain(std::string_view listing, std::string_view chain) {
  std::string line = "-N " + std::string(chain);
  for (size_t at = listing.find(line); at != std::string_view::npos;
       at = listing.find(line, at + 1)) {
    bool line_start = at == 0 || listing[at - 1] == '\n';
    size_t end = at + line.size();
    bool line_end = end == listing.size() || listing[end] == '\n';
    if (line_start && line_end) return true;
  }
  return false;
}

bool JumpIsFirst(std::string_view listing, std::string_view parent, std::string_view chain) {
  std::vector<std::string_view> rules = RulesOf(listing, parent);
  return !rules.empty() && rules.front() == JumpLine(parent, chain);
}

int CountJumps(std::string_view listing, std::string_view parent, std::string_view chain) {
  int count = 0;
  for (std::string_view rule : RulesOf(listing, parent))
    if (rule == JumpLine(parent, chain)) ++count;
  return count;
}

}  // namespace baton::netd
