// Makes the host's proto 186 routes and overlay entries what the plan says,
// listing first so that a restarted netd (or a hand-made change) converges.

#include <algorithm>

#include "runtime/netd/routes.h"

namespace baton::netd {
namespace {

const std::string kProto = std::to_string(kRouteProtocol);

Result<std::vector<Route>> ListRoutes(CommandRunner& runner) {
  auto listing = runner.Run({"ip", "-j", "route", "show", "proto", kProto});
  if (!listing.ok()) return listing.error();
  return ParseRouteListing(*listing);
}

// Keeps the first failure but carries on, so one bad entry does not hold up
// the rest.
void Keep(Status& first, Status next) {
  if (first.ok() && !next.ok()) first = std::move(next);
}

Status Ran(Result<std::string> run) {
  if (!run.ok()) return run.error();
  return Status::Ok();
}

template <typename T>
bool Contains(const std::vector<T>& items, const T& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

Status SyncFdb(CommandRunner& runner, const std::vector<FdbEntry>& wanted) {
  auto listing = runner.Run({"bridge", "-j", "fdb", "show", "dev", kVxlanDevice});
  if (!listing.ok()) return listing.error();
  auto have = ParseFdbListing(*listing);
  if (!have.ok()) return have.error();
  Status status;
  for (const FdbEntry& entry : *have)
    if (!Contains(wanted, entry))
      Keep(status, Ran(runner.Run({"bridge", "fdb", "del", entry.mac, "dev", kVxlanDevice, "dst",
                                   entry.dst})));
  for (const FdbEntry& entry : wanted)
    if (!Contains(*have, entry))
      Keep(status, Ran(runner.Run({"bridge", "fdb", "replace", entry.mac, "dev", kVxlanDevice,
                                   "dst", entry.dst})));
  return status;
}

Status SyncNeighbours(CommandRunner& runner, const std::vector<NeighbourEntry>& wanted) {
  auto listing = runner.Run({"ip", "-j", "neigh", "show", "dev", kVxlanDevice});
  if (!listing.ok()) return listing.error();
  auto have = ParseNeighbourListing(*listing);
  if (!have.ok()) return have.error();
  Status status;
  // `replace` overwrites an entry for the same address, so only addresses no
  // longer wanted are deleted.
  for (const NeighbourEntry& entry : *have) {
    bool wanted_address = std::any_of(wanted.begin(), wanted.end(), [&](const NeighbourEntry& w) {
      return w.address == entry.address;
    });
    if (!wanted_address)
      Keep(status, Ran(runner.Run({"ip", "neigh", "del", entry.address, "dev", kVxlanDevice})));
  }
  for (const NeighbourEntry& entry : wanted)
    if (!Contains(*have, entry))
      Keep(status, Ran(runner.Run({"ip", "neigh", "replace", entry.address, "lladdr", entry.mac,
                                   "dev", kVxlanDevice, "nud", "permanent"})));
  return status;
}

}  // namespace

Status SyncRoutes(CommandRunner& runner, const std::vector<Route>& wanted) {
  auto have = ListRoutes(runner);
  if (!have.ok()) return have.error();
  Status status;
  // `replace` overwrites a route to the same destination, so only
  // destinations no longer wanted are deleted (no gap while one changes).
  for (const Route& route : *have) {
    bool keep = std::any_of(wanted.begin(), wanted.end(),
                            [&](const Route& want) { return want.dst == route.dst; });
    if (!keep) Keep(status, Ran(runner.Run({"ip", "route", "del", route.dst, "proto", kProto})));
  }
  for (const Route& want : wanted) {
    bool present = std::any_of(have->begin(), have->end(),
                               [&](const Route& route) { return RouteMatches(want, route); });
    if (!present) Keep(status, Ran(runner.Run(RouteReplaceCommand(want))));
  }
  return status;
}

Status SyncOverlayEntries(CommandRunner& runner, const std::vector<FdbEntry>& fdb,
                          const std::vector<NeighbourEntry>& neighbours) {
  Status status = SyncFdb(runner, fdb);
  Keep(status, SyncNeighbours(runner, neighbours));
  return status;
}

Status RemoveRoutes(CommandRunner& runner) { return SyncRoutes(runner, {}); }

Result<bool> ProbeOnLink(CommandRunner& runner, const std::string& address) {
  auto output = runner.Run({"ip", "route", "get", address});
  if (!output.ok()) return output.error();
  return RouteGetIsOnLink(*output);
}

}  // namespace baton::netd
