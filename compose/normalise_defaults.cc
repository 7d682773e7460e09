// What compose adds to a project when it normalises it (compose-go's
// Normalize and SetDefaultValues), so that `baton config` prints what
// `docker compose config` prints and later stages see the implicit parts.

#include <string_view>
#include <vector>

#include "compose/normalise_parts.h"

namespace baton::compose::normalise {
namespace {

constexpr std::string_view kServicePrefix = "service:";
constexpr std::string_view kContainerPrefix = "container:";

// Go's path.Clean for the slash-separated paths of container targets.
std::string CleanPath(std::string_view path) {
  bool rooted = !path.empty() && path.front() == '/';
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (part != ".." || !rooted) {
      parts.push_back(part);
    }
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + std::string(parts[i]);
  return out.empty() ? "." : out;
}

// Adds a depends_on entry compose implies, unless one is written; `mark`
// says where the reference came from.
void ImplyDependency(Service& service, const std::string& name, bool restart, const Mark& mark) {
  if (name.empty() || service.depends_on.count(name)) return;
  DependsOn dependency;
  dependency.restart = restart;
  service.depends_on[name] = dependency;
  service.marks["depends_on." + name] = mark;
}

const Mark& KeyMark(const Service& service, const std::string& key) {
  auto it = service.marks.find(key);
  return it != service.marks.end() ? it->second : service.mark;
}

// links, `service:` namespaces and volumes_from all make dependencies.
void ImplyDependencies(Service& service) {
  if (const Node* links = service.other.Find("links"); links && links->IsSequence()) {
    for (const Node& link : links->items()) {
      std::string_view text = link.scalar();
      ImplyDependency(service, std::string(text.substr(0, text.find(':'))), true, link.mark());
    }
  }
  for (std::string_view key : {"network_mode", "ipc", "pid", "uts", "cgroup"}) {
    const Node* node = service.other.Find(key);
    std::string value = key == "network_mode" ? service.network_mode
                                              : (node && node->IsScalar() ? node->scalar() : "");
    if (value.compare(0, kServicePrefix.size(), kServicePrefix) == 0)
      ImplyDependency(service, value.substr(kServicePrefix.size()), true,
                      KeyMark(service, std::string(key)));
  }
  if (const Node* from = service.other.Find("volumes_from"); from && from->IsSequence()) {
    for (const Node& item : from->items()) {
      std::string_view text = item.scalar();
      if (text.substr(0, kContainerPrefix.size()) == kContainerPrefix) continue;
      ImplyDependency(service, std::string(text.substr(0, text.find(':'))), false, item.mark());
    }
  }
}

// Device requests without count or device_ids take every device.
void DefaultDeviceCounts(Node* requests) {
  if (!requests || !requests->IsSequence()) return;
  for (Node& request : requests->items()) {
    if (request.IsMapping() && !request.Find("count") && !request.Find("device_ids"))
      request.Set("count", Node::Scalar("all", true, request.mark()));
  }
}

void AddServiceDefaults(Service& service) {
  if (service.pull_policy == "if_not_present") service.pull_policy = "missing";
  if (service.build) {
    BuildConfig& build = *service.build;
    if (build.dockerfile.empty() && build.dockerfile_inline.empty())
      build.dockerfile = "Dockerfile";
    std::erase_if(build.args, [](const auto& arg) { return !arg.second.has_value(); });
  }
  ImplyDependencies(service);
  for (VolumeMount& mount : service.volumes) {
    if (!mount.target.empty()) mount.target = CleanPath(mount.target);
    if (mount.bind_set && !mount.bind_create_host_path) mount.bind_create_host_path = true;
  }
  for (FileReference& secret : service.secrets)
    if (secret.target.empty()) secret.target = "/run/secrets/" + secret.source;
  if (service.deploy && service.deploy->reservations)
    DefaultDeviceCounts(&service.deploy->reservations->devices);
  DefaultDeviceCounts(service.other.Find("gpus"));
}

// A service with neither networks nor network_mode joins `default`, which
// then exists; compose adds it only when some service uses it.
void AddDefaultNetwork(Project& project) {
  bool uses_default = false;
  for (auto& [name, service] : project.services) {
    if (service.other.Find("provider") || !service.network_mode.empty()) continue;
    if (service.networks.empty()) service.networks["default"] = std::nullopt;
    uses_default = uses_default || service.networks.count("default") > 0;
  }
  if (uses_default && !project.networks.count("default")) project.networks["default"] = Network{};
}

// Resources without `name:` are named "<project>_<key>", or the key when external.
template <typename T>
void NameResources(std::map<std::string, T>& resources, const std::string& project_name) {
  for (auto& [key, resource] : resources) {
    if (!resource.name.empty()) continue;
    resource.name = resource.external ? key : project_name + "_" + key;
  }
}

}  // namespace

void AddDefaults(Project& project, const NormaliseOptions& options) {
  for (auto& [name, service] : project.services) AddServiceDefaults(service);
  AddDefaultNetwork(project);
  NameResources(project.networks, options.project_name);
  NameResources(project.volumes, options.project_name);
  NameResources(project.secrets, options.project_name);
  NameResources(project.configs, options.project_name);
}

}  // namespace baton::compose::normalise
