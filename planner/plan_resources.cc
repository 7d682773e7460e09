// NetworkActions, VolumeActions and ImageActions, declared in plan_up.h:
// what a host needs before its containers can be created.

#include <algorithm>
#include <map>

#include "planner/plan_up.h"

namespace baton::planner {
namespace {

// Create actions, in key order, for the resources of `keys` that `names`
// knows (the non-external ones) and `present` lacks.
std::vector<Action> Creates(ActionKind kind, const HostState& host,
                            const std::set<std::string>& keys,
                            const std::map<std::string, std::string>& names,
                            const std::set<std::string>& present) {
  std::vector<Action> actions;
  for (const std::string& key : keys) {
    auto name = names.find(key);
    if (name == names.end() || present.count(name->second)) continue;
    actions.push_back(Action{kind, host.name, "", 0, name->second, "", "", {}, "", ""});
  }
  return actions;
}

struct ImageNeed {
  bool creates = false;  // a container is created from it here
  bool always = false;   // pull even when present
  bool push = false;     // comes from the local engine, not a registry
};

// pull_policy never and build mean no registry has the image: it was built
// or loaded locally, so the only way to a remote host is a push.
bool FromLocalEngine(const UpContext& context, const ServiceSpec& spec) {
  const std::string& policy = spec.service.pull_policy;
  return context.options.push || policy == "never" || policy == "build";
}

bool AlwaysPull(const UpContext& context, const ServiceSpec& spec) {
  return context.options.always_pull || spec.service.pull_policy == "always";
}

}  // namespace

std::vector<const ServiceSpec*> PlacedServices(const UpContext& context, const HostState& host) {
  std::vector<const ServiceSpec*> out;
  auto it = context.assigned.find(host.name);
  if (it == context.assigned.end()) return out;
  for (const Assignment* a : it->second) {
    const ServiceSpec* spec = context.desired.FindService(a->service);
    if (spec && (out.empty() || out.back() != spec)) out.push_back(spec);
  }
  return out;
}

std::vector<std::string> NetworkKeys(const compose::Service& service) {
  std::vector<std::string> keys;
  for (const auto& [key, options] : service.networks) keys.push_back(key);
  if (keys.empty() && service.network_mode.empty()) keys.push_back("default");
  return keys;
}

std::vector<std::string> VolumeKeys(const compose::Service& service) {
  std::set<std::string> keys;
  for (const compose::VolumeMount& mount : service.volumes)
    if (mount.type == "volume" && !mount.source.empty()) keys.insert(mount.source);
  return {keys.begin(), keys.end()};
}

std::vector<Action> NetworkActions(const UpContext& context, const HostState& host) {
  std::set<std::string> keys;
  for (const ServiceSpec* spec : PlacedServices(context, host))
    for (const std::string& key : NetworkKeys(spec->service)) keys.insert(key);
  std::vector<Action> actions =
      Creates(ActionKind::kCreateNetwork, host, keys, context.network_names, host.networks);
  std::vector<Action> out;
  auto subnets = context.subnets.find(host.name);
  for (Action& action : actions) {
    if (context.spanned_networks.count(action.name)) {
      if (subnets == context.subnets.end()) continue;
      auto subnet = subnets->second.find(action.name);
      if (subnet == subnets->second.end()) continue;
      action.subnet = subnet->second;
    }
    out.push_back(std::move(action));
  }
  return out;
}

std::vector<Action> VolumeActions(const UpContext& context, const HostState& host) {
  std::set<std::string> keys;
  for (const ServiceSpec* spec : PlacedServices(context, host))
    for (const std::string& key : VolumeKeys(spec->service)) keys.insert(key);
  return Creates(ActionKind::kCreateVolume, host, keys, context.volume_names, host.volumes);
}

// Pushes of the built images (content.build) `host` needs and lacks, from
// ImageSource; the build host itself gets its image from the build.
std::vector<Action> BuiltImageActions(const UpContext& context, const HostState& host,
                                      const std::vector<Action>& containers) {
  std::vector<Action> actions;
  for (const ServiceSpec* spec : PlacedServices(context, host)) {
    if (!spec->content.build) continue;
    const std::string& tag = spec->content.build->tag;
    if (host.images.count(tag) || !NeedsBuiltImage(context, host, *spec, containers)) continue;
    std::string source = ImageSource(context, *spec);
    if (source == host.name) continue;
    actions.push_back(Action{ActionKind::kPushImage, host.name, "", 0, tag, "", "", {}, "", source});
  }
  return actions;
}

// A missing image is fetched only for a container about to be created from
// it: a replica that runs needs nothing. `always` pulls for every placed
// service, as `up --pull always` asks, even when no container changes.
// Built images are never pulled: no registry has T.
std::vector<Action> ImageActions(const UpContext& context, const HostState& host,
                                 const std::vector<Action>& containers) {
  std::vector<Action> actions = BuiltImageActions(context, host, containers);
  if (context.options.images_only) return actions;
  std::map<std::string, ImageNeed> needs;
  for (const Action& c : containers) {
    if (c.kind == ActionKind::kStartContainer) continue;
    const ServiceSpec* spec = context.desired.FindService(c.service);
    if (!spec || spec->content.build || spec->service.image.empty()) continue;
    ImageNeed& need = needs[spec->service.image];
    need.creates = true;
    need.push = need.push || FromLocalEngine(context, *spec);
  }
  for (const ServiceSpec* spec : PlacedServices(context, host)) {
    if (spec->content.build || spec->service.image.empty() || !AlwaysPull(context, *spec))
      continue;
    ImageNeed& need = needs[spec->service.image];
    need.always = true;
    need.push = need.push || FromLocalEngine(context, *spec);
  }
  for (const auto& [image, need] : needs) {
    bool missing = !host.images.count(image);
    if (need.push && missing && need.creates)
      actions.push_back(Action{ActionKind::kPushImage, host.name, "", 0, image, "", "", {}, "", ""});
    else if (!need.push && ((missing && need.creates) || need.always))
      actions.push_back(Action{ActionKind::kPullImage, host.name, "", 0, image, "", "", {}, "", ""});
  }
  std::stable_sort(actions.begin(), actions.end(),
                   [](const Action& a, const Action& b) { return a.name < b.name; });
  return actions;
}

}  // namespace baton::planner
