#include <algorithm>
#include <optional>
#include <set>

#include "base/sha256.h"
#include "runtime/netd/ipv4.h"
#include "runtime/netd/routes.h"

namespace baton::netd {
namespace {

// A remote slice worth routing: inside the cluster, with a gateway inside it.
bool UsableSlice(const Ipv4Cidr& cluster, const HostNetwork& network) {
  auto subnet = ParseIpv4Cidr(network.subnet);
  auto gateway = ParseIpv4(network.gateway);
  return subnet && gateway && subnet->prefix >= cluster.prefix &&
         CidrContains(cluster, subnet->network) && CidrContains(*subnet, *gateway);
}

std::string Canonical(const std::string& cidr) {
  auto parsed = ParseIpv4Cidr(cidr);
  return FormatIpv4(parsed->network) + "/" + std::to_string(parsed->prefix);
}

// Adds `peer`'s routes (and overlay entries) for every slice no one claimed yet.
void AddPeer(const RemoteHost& peer, PeerPath path, const Ipv4Cidr& cluster,
             std::set<std::string>& claimed, DataplanePlan& plan) {
  bool added = false;
  for (const HostNetwork& network : peer.networks) {
    if (!UsableSlice(cluster, network)) continue;
    std::string dst = Canonical(network.subnet);
    if (!claimed.insert(dst).second) continue;
    added = true;
    if (path == PeerPath::kRoutes) {
      plan.routes.push_back({dst, peer.peer.address, "", false});
      continue;
    }
    plan.routes.push_back({dst, network.gateway, kVxlanDevice, true});
    plan.neighbours.push_back({network.gateway, peer.vxlan_mac});
  }
  if (added && path == PeerPath::kVxlan) plan.fdb.push_back({peer.vxlan_mac, peer.peer.address});
}

template <typename T, typename Key>
void SortBy(std::vector<T>& items, Key key) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

uint32_t AddressOf(const std::string& text) { return ParseIpv4(text).value_or(0); }
uint32_t NetworkOf(const std::string& cidr) {
  auto parsed = ParseIpv4Cidr(cidr);
  return parsed ? parsed->network : 0;
}

}  // namespace

PeerPath ChoosePath(OverlayMode mode, bool on_link) {
  switch (mode) {
    case OverlayMode::kRoutes:
      return PeerPath::kRoutes;
    case OverlayMode::kVxlan:
      return PeerPath::kVxlan;
    case OverlayMode::kAuto:
      break;
  }
  return on_link ? PeerPath::kRoutes : PeerPath::kVxlan;
}

DataplanePlan PlanDataplane(const NetdConfig& config, const DataplaneInput& input,
                            const std::map<std::string, bool>& on_link) {
  DataplanePlan plan;
  auto cluster = ParseIpv4Cidr(config.cluster);
  if (!cluster) return plan;
  std::set<std::string> claimed;
  for (const HostNetwork& network : input.local)
    if (ParseIpv4Cidr(network.subnet)) claimed.insert(Canonical(network.subnet));
  std::vector<const RemoteHost*> peers;
  for (const RemoteHost& remote : input.remote) peers.push_back(&remote);
  SortBy(peers, [](const RemoteHost* r) { return r->peer.name; });
  for (const RemoteHost* remote : peers) {
    if (remote->peer.name == config.host || !ParseIpv4(remote->peer.address)) continue;
    auto probe = on_link.find(remote->peer.address);
    PeerPath path = ChoosePath(config.overlay, probe != on_link.end() && probe->second);
    if (path == PeerPath::kVxlan && remote->vxlan_mac.empty()) continue;
    plan.paths[remote->peer.name] = path;
    AddPeer(*remote, path, *cluster, claimed, plan);
  }
  SortBy(plan.routes, [](const Route& r) { return NetworkOf(r.dst); });
  SortBy(plan.fdb, [](const FdbEntry& e) { return e.mac; });
  SortBy(plan.neighbours, [](const NeighbourEntry& e) { return AddressOf(e.address); });
  return plan;
}

std::string VxlanMacFor(std::string_view host) {
  std::string hex = Sha256Hex(host);
  std::string mac = "02:ba";
  for (size_t i = 0; i < 8; i += 2) mac += ":" + hex.substr(i, 2);
  return mac;
}

}  // namespace baton::netd
