// MakeDownPlan, declared in plan.h.

#include <set>

#include "planner/labels.h"
#include "planner/plan.h"

namespace baton::planner {
namespace {

// Engine names of the project's external networks or volumes: never removed,
// even if one carries the project's label.
template <typename Spec, typename Field>
std::set<std::string> ExternalNames(const std::vector<Spec>& specs, Field field) {
  std::set<std::string> names;
  for (const Spec& spec : specs)
    if ((spec.*field).external) names.insert((spec.*field).name);
  return names;
}

// The images the project's services and this host's containers use that the
// host holds. `down` by project name alone has only the containers' images.
// A built image T also goes with its name N, which the build or push tagged.
std::set<std::string> ImagesToRemove(const DesiredState& desired, const HostState& host) {
  std::set<std::string> images;
  for (const ServiceSpec& spec : desired.services) {
    if (!host.images.count(spec.service.image)) continue;
    images.insert(spec.service.image);
    if (spec.content.build && !spec.content.build->image.empty())
      images.insert(spec.content.build->image);
  }
  for (const ActualContainer& c : host.containers)
    if (!c.image.empty()) images.insert(c.image);
  return images;
}

// Copies, networks, volumes and images go once every container of the host is gone.
void AppendHost(const DesiredState& desired, const HostState& host, const DownOptions& options,
                Plan& plan) {
  std::vector<size_t> removals;
  for (const ActualContainer& c : host.containers) {
    removals.push_back(plan.actions.size());
    plan.actions.push_back(
        {ActionKind::kRemoveContainer, host.name, c.service, c.slot, c.name, c.id, "", {}, "", ""});
  }
  auto add = [&](ActionKind kind, const std::string& name) {
    plan.actions.push_back({kind, host.name, "", 0, name, "", "", removals, "", ""});
  };
  // Copies of project files, complete or not: no container is left to mount them.
  for (const auto& [digest, state] : host.file_copies) add(ActionKind::kRemoveFiles, digest);
  std::set<std::string> external = ExternalNames(desired.networks, &NetworkSpec::network);
  std::vector<size_t> netd_after = removals;
  for (const std::string& network : host.networks) {
    if (external.count(network)) continue;
    netd_after.push_back(plan.actions.size());
    add(ActionKind::kRemoveNetwork, network);
  }
  // netd is shared by every project on the host: it goes with the last
  // spanned network, once it has no routes or names left to serve.
  if (host.netd.present && host.subnets_elsewhere.empty()) {
    plan.actions.push_back({ActionKind::kRemoveNetd, host.name, "", 0, labels::kNetdContainer,
                            host.netd.id, "no cluster network left", netd_after, "", ""});
  }
  if (options.volumes) {
    external = ExternalNames(desired.volumes, &VolumeSpec::volume);
    for (const std::string& volume : host.volumes)
      if (!external.count(volume)) add(ActionKind::kRemoveVolume, volume);
  }
  if (options.images)
    for (const std::string& image : ImagesToRemove(desired, host))
      add(ActionKind::kRemoveImage, image);
}

}  // namespace

Plan MakeDownPlan(const DesiredState& desired, const ActualState& actual,
                  const DownOptions& options) {
  Plan plan;
  plan.project = desired.project.empty() ? actual.project : desired.project;
  for (const HostState& host : actual.hosts) {
    if (host.reachable)
      AppendHost(desired, host, options, plan);
    else
      plan.unreachable_hosts.push_back(host.name);
  }
  return plan;
}

}  // namespace baton::planner
