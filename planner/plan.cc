// MakeUpPlan, declared in plan.h. First the builds (plan_build.cc), then
// each reachable host's actions, in hosts-file order, grouped: networks,
// volumes, images, file uploads, netd, containers, removals, file removals.
// The parts come from plan_containers.cc, plan_resources.cc and
// plan_files.cc; this file orders them with `after` edges.

#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include "planner/plan_up.h"

namespace baton::planner {
namespace {

struct Builder {
  Plan plan;
  std::map<SlotKey, size_t> created;  // the create or recreate of each slot
  // A removal that waits for its slot's new container on another host,
  // which may come later in the plan: resolved once every host is in.
  std::vector<std::pair<size_t, SlotKey>> waits;
  std::map<std::string, size_t> builds;  // the kBuildImage of each built image T

  // The build of `image` when it runs on `host`.
  std::optional<size_t> BuildOn(const std::string& image, const std::string& host) const {
    auto it = builds.find(image);
    if (it == builds.end() || plan.actions[it->second].host != host) return std::nullopt;
    return it->second;
  }

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

// A push of a built image waits for its build, wherever that runs.
std::map<std::string, size_t> AppendImages(Builder& b, std::vector<Action> images) {
  for (Action& action : images)
    if (auto it = b.builds.find(action.name); it != b.builds.end())
      action.after.push_back(it->second);
  return AppendAll(b, std::move(images));
}

struct HostIndex {
  std::map<std::string, size_t> networks, volumes, images, uploads;
  std::optional<size_t> netd;
};

// A new container waits for its networks, volumes and image (or its build on
// this host), for the host's netd (its DNS server), and for the removals on
// its host that free ports, reservations and names. A removal of a moved
// replica does not count: it waits for the new container instead, and
// waiting both ways could deadlock two hosts swapping replicas. Any
// container waits for the copies it mounts.
void AddContainerEdges(const UpContext& context, const HostIndex& index, const Builder& b,
                       const std::vector<Leftover>& leftovers, size_t first_removal,
                       Action& action) {
  const ServiceSpec& spec = *context.desired.FindService(action.service);
  for (const std::string& key : NetworkKeys(spec.service))
    if (auto name = context.network_names.find(key); name != context.network_names.end())
      AddAfter(action, index.networks, name->second);
  for (const std::string& key : VolumeKeys(spec.service))
    if (auto name = context.volume_names.find(key); name != context.volume_names.end())
      AddAfter(action, index.volumes, name->second);
  if (action.kind != ActionKind::kStartContainer) {
    AddAfter(action, index.images, spec.service.image);
    if (std::optional<size_t> build = b.BuildOn(spec.service.image, action.host))
      action.after.push_back(*build);
    for (size_t i = 0; i < leftovers.size(); ++i)
      if (leftovers[i].moved_to.empty()) action.after.push_back(first_removal + i);
  }
  std::set<std::string> copies;
  for (const FileCopyUse& copy : spec.content.copies) copies.insert(copy.digest);
  for (const std::string& digest : copies) AddAfter(action, index.uploads, digest);
  if (index.netd) action.after.push_back(*index.netd);
}

void AppendLeftovers(const HostState& host, const std::vector<Leftover>& leftovers, Builder& b) {
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

// A copy goes once every container action of its host ran: the replicas
// that mounted it are then removed or replaced.
void AppendFileRemovals(std::vector<Action> removals, size_t first_container, Builder& b) {
  size_t end = b.plan.actions.size();
  for (Action& action : removals) {
    for (size_t i = first_container; i < end; ++i) action.after.push_back(i);
    b.Append(std::move(action));
  }
}

void AppendHost(const UpContext& context, const HostState& host, Builder& b) {
  std::vector<Action> containers = ContainerActions(context, host);
  std::vector<Action> images = ImageActions(context, host, containers);
  if (context.options.images_only) {
    AppendImages(b, std::move(images));
    return;
  }
  std::vector<Leftover> leftovers = Leftovers(context, host);
  std::vector<Action> file_removals = FileRemovals(context, host, containers, leftovers);
  HostIndex index;
  index.networks = AppendAll(b, NetworkActions(context, host));
  index.volumes = AppendAll(b, VolumeActions(context, host));
  index.images = AppendImages(b, std::move(images));
  index.uploads = AppendAll(b, FileUploads(context, host));
  if (std::optional<Action> action = NetdAction(context, host, leftovers))
    index.netd = b.Append(std::move(*action));
  size_t first_container = b.plan.actions.size();
  size_t first_removal = first_container + containers.size();
  for (Action& action : containers) {
    AddContainerEdges(context, index, b, leftovers, first_removal, action);
    SlotKey key{action.service, action.slot};
    bool creates = action.kind != ActionKind::kStartContainer;
    size_t at = b.Append(std::move(action));
    if (creates) b.created[key] = at;
  }
  AppendLeftovers(host, leftovers, b);
  AppendFileRemovals(std::move(file_removals), first_container, b);
}

}  // namespace

Plan MakeUpPlan(const DesiredState& desired, const ActualState& actual, const Placement& placement,
                const UpOptions& options) {
  UpContext context(desired, actual, placement, options);
  Builder b;
  b.plan.project = desired.project;
  context.subnets = ClusterSubnets(context, b.plan.errors);
  b.plan.subnets = context.subnets;
  for (Action& build : BuildActions(context, b.plan.errors)) {
    std::string image = build.name;
    b.builds[image] = b.Append(std::move(build));
  }
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

Plan WithoutActions(Plan plan, const std::function<bool(const Action&)>& drop) {
  std::vector<size_t> new_index(plan.actions.size(), SIZE_MAX);
  std::vector<Action> kept;
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    if (drop(plan.actions[i])) continue;
    new_index[i] = kept.size();
    kept.push_back(std::move(plan.actions[i]));
  }
  for (Action& action : kept) {
    std::vector<size_t> after;
    for (size_t old : action.after)
      if (old < new_index.size() && new_index[old] != SIZE_MAX) after.push_back(new_index[old]);
    action.after = std::move(after);
  }
  plan.actions = std::move(kept);
  return plan;
}

}  // namespace baton::planner
