// The desired state: one ServiceSpec per enabled service, and the networks
// and volumes those services use. Services disabled by profiles are not
// wanted, and neither is what only they use, as with compose.

#include "planner/desired_state.h"

#include <algorithm>
#include <set>

#include "planner/service_spec.h"

namespace baton::planner {
namespace {

// The compose keys of the networks the enabled services join. The loader
// already adds `default` to a service with neither networks nor
// network_mode; doing it here too keeps a project loaded without
// normalisation right.
std::set<std::string> UsedNetworks(const compose::Project& project) {
  std::set<std::string> used;
  for (const auto& [name, service] : project.services) {
    for (const auto& [key, options] : service.networks) used.insert(key);
    if (service.networks.empty() && service.network_mode.empty()) used.insert("default");
  }
  return used;
}

std::set<std::string> UsedVolumes(const compose::Project& project) {
  std::set<std::string> used;
  for (const auto& [name, service] : project.services)
    for (const compose::VolumeMount& mount : service.volumes)
      if (mount.type == "volume" && !mount.source.empty()) used.insert(mount.source);
  return used;
}

// std::set iterates in key order, so the result is sorted by key.
template <typename Spec, typename Resource>
std::vector<Spec> Pick(const std::map<std::string, Resource>& resources,
                       const std::set<std::string>& used) {
  std::vector<Spec> out;
  for (const std::string& key : used)
    if (auto it = resources.find(key); it != resources.end()) out.push_back({key, it->second});
  return out;
}

}  // namespace

const ServiceSpec* DesiredState::FindService(const std::string& name) const {
  auto it =
      std::lower_bound(services.begin(), services.end(), name,
                       [](const ServiceSpec& spec, const std::string& n) { return spec.name < n; });
  return it != services.end() && it->name == name ? &*it : nullptr;
}

Result<DesiredState> MakeDesiredState(const compose::Project& project,
                                      const ContentDigests& content) {
  static const ServiceContent kNoContent;
  DesiredState desired;
  desired.project = project.name;
  for (const auto& [name, service] : project.services) {
    auto used = content.find(name);
    auto spec =
        MakeServiceSpec(project, service, used == content.end() ? kNoContent : used->second);
    if (!spec.ok()) return std::move(spec).error();
    desired.services.push_back(std::move(*spec));
  }
  // Already in name order unless a caller built a project whose map keys
  // differ from the service names; FindService relies on the order.
  std::sort(desired.services.begin(), desired.services.end(),
            [](const ServiceSpec& a, const ServiceSpec& b) { return a.name < b.name; });
  desired.networks = Pick<NetworkSpec>(project.networks, UsedNetworks(project));
  desired.volumes = Pick<VolumeSpec>(project.volumes, UsedVolumes(project));
  return desired;
}

std::string ContainerName(const std::string& project, const ServiceSpec& service, int slot) {
  if (!service.service.container_name.empty()) return service.service.container_name;
  return project + "-" + service.name + "-" + std::to_string(slot);
}

}  // namespace baton::planner
