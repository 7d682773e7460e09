// MakeUpPlan, declared in plan.h. Each reachable host's actions, in
// hosts-file order, grouped: networks, volumes, images, netd, containers,
// removals.
// The parts come from plan_containers.cc and plan_resources.cc; this file
// orders them with `after` edges.

#include <map>
#include <optional>

#include "planner/plan_up.h"

namespace baton::planner {
namespace {

struct Builder {
  Plan plan;
  std::map<SlotKey, size_t> created;  // the create or recreate of each slot
  // A removal that waits for its slot's new container on another host,
  // which may come later in the plan: resolved once every host is in.
  std::vector<std::pair<size_t, SlotKey>> waits;

  size_t Append(Action action) {
    plan.actions.push_back(std::move(action));
    return plan.actions.size() - 1;
  }
};

// The actions in `from` named `name` (a network, volume or image), by index.
void AddAfter(Action& action, const std::map<std::string, size_t>& from, const std::string& name) {
  if (auto it = from.find(name); it != from.end()) action.after.push_back(it->second);
}

std::map<std::string, size_t> AppendAll(Builder& b, std::vector<Action> actions) {
  std::map<std::string, size_t> index;
  for (Action& action : actions) {
    std::string name = action.name;
    index[name] = b.Append(std::move(action));
  }
  return index;
}

// A new container waits for its networks, volumes and image, for the host's
// netd (its DNS server), and for the removals on its host that free ports,
// reservations and names. A removal of a moved replica does not count: it
// waits for the new container instead, and waiting both ways could deadlock
// two hosts swapping replicas.
void AppendHost(const UpContext& context, const HostState& host, Builder& b) {
  std::vector<Action> containers = ContainerActions(context, host);
  std::vector<Action> images = ImageActions(context, host, containers);
  std::vector<Leftover> leftovers = Leftovers(context, host);
  std::map<std::string, size_t> networks = AppendAll(b, NetworkActions(context, host));
  std::map<std::string, size_t> volumes = AppendAll(b, VolumeActions(context, host));
  std::map<std::string, size_t> image_index = AppendAll(b, std::move(images));
  std::optional<size_t> netd;
  if (std::optional<Action> action = NetdAction(context, host, leftovers))
    netd = b.Append(std::move(*action));
  size_t first_removal = b.plan.actions.size() + containers.size();
  for (Action& action : containers) {
    const ServiceSpec& spec = *context.desired.FindService(action.service);
    for (const std::string& key : NetworkKeys(spec.service))
      if (auto name = context.network_names.find(key); name != context.network_names.end())
        AddAfter(action, networks, name->second);
    for (const std::string& key : VolumeKeys(spec.service))
      if (auto name = context.volume_names.find(key); name != context.volume_names.end())
        AddAfter(action, volumes, name->second);
    if (action.kind != ActionKind::kStartContainer) {
      AddAfter(action, image_index, spec.service.image);
      for (size_t i = 0; i < leftovers.size(); ++i)
        if (leftovers[i].moved_to.empty()) action.after.push_back(first_removal + i);
    }
    if (netd) action.after.push_back(*netd);
    SlotKey key{action.service, action.slot};
    bool creates = action.kind != ActionKind::kStartContainer;
    size_t index = b.Append(std::move(action));
    if (creates) b.created[key] = index;
  }
  for (const Leftover& leftover : leftovers) {
    const ActualContainer& c = *leftover.container;
    size_t index = b.Append(Action{ActionKind::kRemoveContainer,
                                   host.name,
                                   c.service,
                                   c.slot,
                                   c.name,
                                   c.id,
                                   leftover.reason,
                                   {},
                                   "",
                                   ""});
    if (!leftover.moved_to.empty()) b.waits.push_back({index, {c.service, c.slot}});
  }
}

}  // namespace

Plan MakeUpPlan(const DesiredState& desired, const ActualState& actual, const Placement& placement,
                const UpOptions& options) {
  UpContext context(desired, actual, placement, options);
  Builder b;
  b.plan.project = desired.project;
  context.subnets = ClusterSubnets(context, b.plan.errors);
  b.plan.subnets = context.subnets;
  for (const HostState& host : actual.hosts) {
    if (host.reachable)
      AppendHost(context, host, b);
    else
      b.plan.unreachable_hosts.push_back(host.name);
  }
  for (const auto& [removal, key] : b.waits)
    if (auto it = b.created.find(key); it != b.created.end())
      b.plan.actions[removal].after.push_back(it->second);
  for (const Assignment& a : placement.assignments)
    if (context.scope.count(a.service)) b.plan.placement.push_back(a);
  for (const Unplaced& u : placement.unplaced)
    if (context.scope.count(u.service)) b.plan.unplaced.push_back(u);
  return std::move(b.plan);
}

}  // namespace baton::planner
