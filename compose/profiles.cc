#include "compose/profiles.h"

#include <algorithm>
#include <set>
#include <string_view>

namespace baton::compose {
namespace {

bool Enabled(const Service& service, const std::vector<std::string>& profiles) {
  if (service.profiles.empty()) return true;
  for (const std::string& active : profiles) {
    if (active == "*") return true;
    if (std::find(service.profiles.begin(), service.profiles.end(), active) !=
        service.profiles.end())
      return true;
  }
  return false;
}

// "name" from "name:alias" (links) or "name:ro" (volumes_from); volumes_from
// "container:<id>" names a container, not a service.
void AddListReferences(const Service& service, std::string_view key, std::set<std::string>& out) {
  const Node* list = service.other.IsMapping() ? service.other.Find(key) : nullptr;
  if (!list || !list->IsSequence()) return;
  for (const Node& item : list->items()) {
    if (!item.IsScalar() || item.scalar().starts_with("container:")) continue;
    out.insert(item.scalar().substr(0, item.scalar().find(':')));
  }
}

void AddServiceMode(std::string_view mode, std::set<std::string>& out) {
  constexpr std::string_view kPrefix = "service:";
  if (mode.starts_with(kPrefix)) out.insert(std::string(mode.substr(kPrefix.size())));
}

// The services `service` cannot run without.
std::set<std::string> Needs(const Service& service) {
  std::set<std::string> out;
  for (const auto& [name, dependency] : service.depends_on)
    if (dependency.required) out.insert(name);
  AddListReferences(service, "links", out);
  AddListReferences(service, "volumes_from", out);
  AddServiceMode(service.network_mode, out);
  for (std::string_view key : {"ipc", "pid"}) {
    const Node* mode = service.other.IsMapping() ? service.other.Find(key) : nullptr;
    if (mode && mode->IsScalar()) AddServiceMode(mode->scalar(), out);
  }
  return out;
}

}  // namespace

Status ApplyProfiles(Project& project, const std::vector<std::string>& profiles) {
  // Start from every service, so that applying profiles again re-decides.
  for (auto& [name, service] : project.disabled_services) project.services.emplace(name, service);
  project.disabled_services.clear();

  std::set<std::string> enabled;
  std::vector<std::string> pending;
  for (const auto& [name, service] : project.services)
    if (Enabled(service, profiles)) pending.push_back(name);
  while (!pending.empty()) {
    std::string name = std::move(pending.back());
    pending.pop_back();
    auto it = project.services.find(name);
    if (it == project.services.end() || !enabled.insert(name).second) continue;
    for (const std::string& needed : Needs(it->second)) pending.push_back(needed);
  }

  for (auto it = project.services.begin(); it != project.services.end();) {
    if (enabled.count(it->first)) {
      ++it;
      continue;
    }
    project.disabled_services.emplace(it->first, std::move(it->second));
    it = project.services.erase(it);
  }
  return Status::Ok();
}

}  // namespace baton::compose
