// ClusterSubnets and NetdAction, declared in plan_up.h: the cluster
// networking part of an up plan (issue 5).

#include "planner/cluster_subnets.h"
#include "planner/labels.h"
#include "planner/plan_up.h"

namespace baton::planner {
namespace {

// The engine name of the spanned network `key` names, or "".
std::string SpannedName(const UpContext& context, const std::string& key) {
  auto name = context.network_names.find(key);
  if (name == context.network_names.end() || !context.spanned_networks.count(name->second))
    return "";
  return name->second;
}

// A network an older baton (or someone by hand) made without baton.subnet:
// its containers have their addresses, so it stays as it is, host-local.
bool PresentWithoutSubnet(const HostState& host, const std::string& name) {
  return host.networks.count(name) && !host.network_subnets.count(name);
}

// The (network, host) pairs the placed replicas need, by host in hosts-file
// order, then by network name.
std::vector<NetworkOnHost> NeededPairs(const UpContext& context) {
  std::vector<NetworkOnHost> needed;
  for (const HostState& host : context.actual.hosts) {
    if (!host.reachable) continue;
    std::set<std::string> names;
    for (const ServiceSpec* spec : PlacedServices(context, host))
      for (const std::string& key : NetworkKeys(spec->service))
        if (std::string name = SpannedName(context, key); !name.empty())
          if (!PresentWithoutSubnet(host, name)) names.insert(name);
    for (const std::string& name : names) needed.push_back({name, host.name});
  }
  return needed;
}

// Whether a container that stays on `host` (one not in `leftovers`) uses a
// spanned network the host has with its subnet.
bool KeepsSpannedReplica(const UpContext& context, const HostState& host,
                         const std::vector<Leftover>& leftovers) {
  for (const ActualContainer& c : host.containers) {
    bool leaves = false;
    for (const Leftover& leftover : leftovers) leaves = leaves || leftover.container == &c;
    const ServiceSpec* spec = context.desired.FindService(c.service);
    if (leaves || !spec) continue;
    for (const std::string& key : NetworkKeys(spec->service))
      if (host.network_subnets.count(SpannedName(context, key))) return true;
  }
  return false;
}

}  // namespace

std::map<std::string, std::map<std::string, std::string>> ClusterSubnets(
    const UpContext& context, std::vector<std::string>& errors) {
  std::vector<NetworkOnHost> needed = NeededPairs(context);
  if (needed.empty()) return {};
  auto cluster = ParseClusterSpace(context.options.cluster_subnet, context.options.slice_prefix);
  if (!cluster.ok()) {
    errors.push_back(cluster.error().ToString());
    return {};
  }
  std::map<NetworkOnHost, std::string> existing;
  std::set<std::string> taken;
  for (const HostState& host : context.actual.hosts) {
    for (const auto& [name, subnet] : host.network_subnets) {
      existing[{name, host.name}] = subnet;
      taken.insert(subnet);
    }
    taken.insert(host.subnets_elsewhere.begin(), host.subnets_elsewhere.end());
  }
  SubnetAllocation allocation = AllocateSubnets(*cluster, needed, existing, taken);
  errors.insert(errors.end(), allocation.errors.begin(), allocation.errors.end());
  std::map<std::string, std::map<std::string, std::string>> subnets;
  for (const auto& [pair, subnet] : allocation.subnets) subnets[pair.second][pair.first] = subnet;
  return subnets;
}

std::optional<Action> NetdAction(const UpContext& context, const HostState& host,
                                 const std::vector<Leftover>& leftovers) {
  auto hash = context.options.netd_hashes.find(host.name);
  if (hash == context.options.netd_hashes.end()) return std::nullopt;
  if (!context.subnets.count(host.name) && !KeepsSpannedReplica(context, host, leftovers))
    return std::nullopt;
  Action action{ActionKind::kCreateNetd, host.name, "", 0, labels::kNetdContainer, host.netd.id,
                "cluster networking",    {},        "", ""};
  if (!host.netd.present) return action;
  action.kind = ActionKind::kRecreateNetd;
  if (host.netd.spec_hash != hash->second)
    action.reason = "config changed";
  else if (!host.netd.running)
    action.reason = "not running";  // recreating is simplest and also heals a broken one
  else
    return std::nullopt;
  return action;
}

}  // namespace baton::planner
