#pragma once
// netd's iptables rules. Each lives in a chain of netd's own, whose contents
// are replaced atomically with `iptables-restore -n` (the text computed here
// without I/O), and which one jump, kept as rule 1 of a built-in or Docker
// chain, enters:
//   filter DOCKER-USER -> BATON-FORWARD:     admit traffic between the slices
//                                            of one network, drop the rest of
//                                            the cluster's cross-slice traffic
//   nat POSTROUTING    -> BATON-POSTROUTING: keep cluster traffic un-NATed
//   mangle FORWARD     -> BATON-MANGLE:      clamp TCP MSS to the overlay's MTU

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/netd/dataplane.h"

namespace baton::netd {

inline constexpr char kForwardChain[] = "BATON-FORWARD";
inline constexpr char kNatChain[] = "BATON-POSTROUTING";
inline constexpr char kMangleChain[] = "BATON-MANGLE";

// Where netd's chains hang: `iptables -t table -I parent 1 -j chain`.
struct ChainJump {
  std::string table;
  std::string parent;
  std::string chain;
};
// filter, nat, mangle, in that order.
const std::vector<ChainJump>& NetdChainJumps();

// iptables-restore input for each table. Filter: for every network name (in
// order), an ACCEPT for every ordered pair of its slices, local and remote
// (the same slice twice included: bridged traffic passes FORWARD too), sorted
// by address; then a DROP of everything else from the cluster to the cluster.
// Slices that are not valid CIDRs inside the cluster are left out.
std::string FilterRulesText(const NetdConfig& config, const DataplaneInput& input);
std::string NatRulesText(const NetdConfig& config);
// The MSS clamp on the overlay device when the overlay may be used.
std::string MangleRulesText(const NetdConfig& config);

// From `iptables -t T -S` output.
bool ListingHasChain(std::string_view listing, std::string_view chain);
// Whether the first rule of `parent` is exactly the jump to `chain`.
bool JumpIsFirst(std::string_view listing, std::string_view parent, std::string_view chain);
// How many rules of `parent` jump to `chain`.
int CountJumps(std::string_view listing, std::string_view parent, std::string_view chain);

// --- Changing the host ---

// Creates netd's chains where missing (and DOCKER-USER: dockerd adopts it
// when it starts later), and makes each jump rule 1 of its parent exactly
// once (dockerd inserts its own rules at the top of nat POSTROUTING whenever
// it creates a network). Only lists when everything is in place.
Status EnsureChainsAndJumps(CommandRunner& runner);
// Replaces the contents of the chains `text` declares, in one transaction.
Status RestoreRules(CommandRunner& runner, const std::string& text);
// Deletes the jumps, then flushes and deletes the chains; Ok for whatever is
// already gone.
Status RemoveChains(CommandRunner& runner);

}  // namespace baton::netd
