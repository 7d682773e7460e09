#pragma once
// What baton tells the network helper (netd) on each host: the cluster and
// the hosts it is made of. netd learns everything else itself (its engine's
// networks and containers, its peers' through the peer sync), so this only
// changes when the hosts file does, and scaling never restarts netd.
//
// baton passes it as the helper container's command: ["baton-netd", "run", JSON].

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace baton::netd {

enum class OverlayMode {
  kAuto,    // plain routes to a peer on the same layer-2 segment, VXLAN otherwise
  kRoutes,  // plain routes to every peer
  kVxlan,   // VXLAN to every peer
};

struct Peer {
  std::string name;     // hosts-file name ("lab2")
  std::string address;  // IPv4 address other hosts reach it at ("10.209.0.12")
};

struct NetdConfig {
  std::string host;                       // this host's hosts-file name
  std::string cluster = "10.210.0.0/16";  // where every baton network's subnets come from
  OverlayMode overlay = OverlayMode::kAuto;
  uint16_t sync_port = 7947;   // TCP, on each host's address: the peer sync
  uint32_t vxlan_id = 4210;    // VNI of the overlay device
  uint16_t vxlan_port = 4789;  // UDP
  // Resolvers for names that are not the cluster's; empty: the host's own
  // (its /etc/resolv.conf).
  std::vector<std::string> dns_upstream;
  std::vector<Peer> hosts;  // every host of the hosts file, this one included

  const Peer* Self() const;
};

std::string OverlayModeName(OverlayMode mode);  // "auto", "routes", "vxlan"

// Canonical JSON (stable key order), so the same config gives the same bytes
// and so the same container spec hash.
std::string ToJson(const NetdConfig& config);
// kInvalid with where "netd config" naming the key on anything malformed:
// bad CIDR, unknown overlay mode, a host without an IPv4 address, `host` not
// among `hosts`.
Result<NetdConfig> ParseNetdConfig(const std::string& json);

}  // namespace baton::netd
