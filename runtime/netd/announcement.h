#pragma once
// The peer sync: every netd serves, on TCP <its address>:<sync_port>, what
// its own engine has, and reads the same from every peer. A message is one
// line of JSON. A server sends one when anything changes and at least once a
// second; a reader that hears nothing from a peer for 3 s forgets that peer's
// networks and endpoints (the host is gone: its replicas leave DNS, its
// routes stay until it returns or baton down removes them).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/dns/resolve.h"

namespace baton::netd {

// A baton network as it exists on one host: its slice of the cluster.
struct HostNetwork {
  std::string name;     // engine network name ("shop_back"); the same on every host
  std::string subnet;   // "10.210.3.0/24"
  std::string gateway;  // "10.210.3.1": the bridge's address, where netd serves DNS
};

// service -> slot -> hosts-file name: where one desired-state record places
// each replica (the baton.placement label, read).
using SlotPlacement = std::map<std::string, std::map<int, std::string>>;
// service -> the spec hash every replica of it should have (the
// baton.spec-hashes label, read).
using ServiceSpecHashes = std::map<std::string, std::string>;
// service -> slot -> the old spec hash whose replica may still serve that
// slot during a rolling update (the baton.held label, read).
using HeldSpecs = std::map<std::string, std::map<int, std::string>>;

struct Announcement {
  std::string host;       // hosts-file name of the sender
  std::string vxlan_mac;  // its overlay device's MAC ("02:ba:..."), "" when it has none
  std::vector<HostNetwork> networks;
  std::vector<dns::Endpoint> endpoints;  // its own containers only
  // project -> the newest desired-state record generation on the sender
  // (fence.h). Sent as "generations"; endpoints also carry "project" and
  // "slot". All optional: a peer that predates them sends none.
  std::map<std::string, uint64_t> generations{};
  // project -> the placement of that newest record (fence.h), sent as
  // "placements" with slots as decimal keys. Left out for a removed record;
  // optional too: a peer that predates it sends none, and is then judged as
  // placing nothing.
  std::map<std::string, SlotPlacement> placements{};
  // project -> the spec hashes and the held slots of that newest record
  // (fence.h, the spec rule), sent as "spec_hashes" ({"shop":{"web":"<hex>"}})
  // and "held" ({"shop":{"web":{"3":"<hex>"}}}); endpoints carry "spec_hash".
  // Left out for a removed record and when empty; optional: a peer that
  // predates them sends none, and its newer record then checks no spec.
  std::map<std::string, ServiceSpecHashes> spec_hashes{};
  std::map<std::string, HeldSpecs> held{};
};

std::string ToJsonLine(const Announcement& announcement);  // ends in '\n'
// kInvalid on malformed input; never throws.
Result<Announcement> ParseAnnouncement(const std::string& line);

}  // namespace baton::netd
