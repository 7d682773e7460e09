#pragma once
// What the dataplane wants in the kernel's routing tables and on the overlay
// device, computed without I/O from the config and what the peers announced
// (routes_plan.cc), the readers of what the kernel has (routes_listing.cc),
// and the commands that make the host match (routes_host.cc, and
// routes_overlay.cc for the overlay device).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/netd/dataplane.h"

namespace baton::netd {

// How this host reaches one peer's slices.
enum class PeerPath {
  kRoutes,  // plain routes via the peer's address (it is on this layer-2 segment)
  kVxlan,   // through the overlay device to the peer's overlay MAC
};

struct Route {
  std::string dst;      // "10.210.2.0/24"
  std::string via;      // next hop
  std::string dev;      // "" lets the kernel choose (plain routes); kVxlanDevice
  bool onlink = false;  // the next hop is on `dev` without a covering route
  bool operator==(const Route&) const = default;
};

struct FdbEntry {
  std::string mac;  // a peer's overlay MAC
  std::string dst;  // that peer's address
  bool operator==(const FdbEntry&) const = default;
};

struct NeighbourEntry {
  std::string address;  // a remote slice's gateway
  std::string mac;      // the overlay MAC of the peer holding that slice
  bool operator==(const NeighbourEntry&) const = default;
};

struct DataplanePlan {
  std::map<std::string, PeerPath> paths;   // by peer name; peers that can be reached
  std::vector<Route> routes;               // sorted by destination
  std::vector<FdbEntry> fdb;               // sorted by MAC
  std::vector<NeighbourEntry> neighbours;  // sorted by address
};

// kAuto: routes when `on_link` (`ip route get <peer>` shows no gateway).
PeerPath ChoosePath(OverlayMode mode, bool on_link);

// The routes, forwarding entries and neighbours that reach every remote
// slice. `on_link` holds the auto-mode probe per peer address; a peer without
// a probe counts as off-link. Skipped, so a bad announcement cannot steer
// traffic elsewhere: this host, slices outside the cluster or with a bad
// gateway, a slice this host (or a peer earlier by name) already has, and
// overlay peers that announced no MAC yet.
DataplanePlan PlanDataplane(const NetdConfig& config, const DataplaneInput& input,
                            const std::map<std::string, bool>& on_link);

// "02:ba:" and four bytes of the SHA-256 of `host`: the same on every run, so
// peers keep their forwarding entries across a restart.
std::string VxlanMacFor(std::string_view host);

// --- Reading the kernel's state (pure parsers of `ip -j` / `bridge -j` output) ---

// `ip -j route show proto 186`; kInternal on malformed JSON.
Result<std::vector<Route>> ParseRouteListing(const std::string& json);
// `bridge -j fdb show dev baton-vx`.
Result<std::vector<FdbEntry>> ParseFdbListing(const std::string& json);
// `ip -j neigh show dev baton-vx`: the permanent IPv4 entries only (netd adds
// only those; the kernel's own entries are left alone).
Result<std::vector<NeighbourEntry>> ParseNeighbourListing(const std::string& json);
// `ip route get <address>` text: true when it names no gateway.
bool RouteGetIsOnLink(std::string_view output);

// Whether `have` (as listed) already is `want`: a route without a wanted
// device accepts whichever device the kernel chose.
bool RouteMatches(const Route& want, const Route& have);

// The `ip route replace` arguments for `route`, "proto 186" included.
std::vector<std::string> RouteReplaceCommand(const Route& route);

// --- Changing the host ---

// Replaces missing or different wanted routes and deletes every other proto
// 186 route.
Status SyncRoutes(CommandRunner& runner, const std::vector<Route>& wanted);
// The same for the overlay device's forwarding entries and neighbours.
Status SyncOverlayEntries(CommandRunner& runner, const std::vector<FdbEntry>& fdb,
                          const std::vector<NeighbourEntry>& neighbours);
// Deletes every proto 186 route; Ok when there is none.
Status RemoveRoutes(CommandRunner& runner);
// `ip route get <address>`, for ChoosePath.
Result<bool> ProbeOnLink(CommandRunner& runner, const std::string& address);

// Creates (or recreates, when its VNI, port or local address differ) the
// overlay device, sets its deterministic MAC, its MTU 50 below the underlay's
// and brings it up; returns the MAC it reports.
Result<std::string> EnsureVxlanDevice(CommandRunner& runner, const NetdConfig& config);
// Deletes the overlay device; Ok when it does not exist.
Status RemoveVxlanDevice(CommandRunner& runner);

}  // namespace baton::netd
