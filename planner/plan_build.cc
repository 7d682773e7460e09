// BuildActions, ImageSource and NeedsBuiltImage, declared in plan_up.h:
// where a service's built image comes from. baton builds each service once,
// on one engine, and streams the image from there (or from any host that
// already has it) to the others: the digest tag T says exactly which build
// an engine holds, so "present" needs no further check.

#include "planner/plan_up.h"

namespace baton::planner {
namespace {

bool PlacedOn(const UpContext& context, const std::string& host, const std::string& service) {
  auto it = context.assigned.find(host);
  if (it == context.assigned.end()) return false;
  for (const Assignment* a : it->second)
    if (a->service == service) return true;
  return false;
}

// Some reachable host needs T and lacks it.
bool ImageMissing(const UpContext& context, const ServiceSpec& spec) {
  const std::string& tag = spec.content.build->tag;
  for (const HostState& host : context.actual.hosts) {
    if (!host.reachable || host.images.count(tag)) continue;
    if (NeedsBuiltImage(context, host, spec, ContainerActions(context, host))) return true;
  }
  return false;
}

// The engine already holds T somewhere baton can push it from.
bool ImageAvailable(const UpContext& context, const ServiceSpec& spec) {
  const std::string& tag = spec.content.build->tag;
  for (const HostState& host : context.actual.hosts)
    if (host.reachable && host.images.count(tag)) return true;
  return context.options.build_local && context.actual.local_images.count(tag);
}

// The placed hosts whose architecture differs from the build host's: the
// one image would not run there.
void CheckArchitectures(const UpContext& context, const ServiceSpec& spec,
                        const HostState& builder, std::vector<std::string>& errors) {
  for (const HostState& host : context.actual.hosts) {
    if (!host.reachable || host.arch == builder.arch || !PlacedOn(context, host.name, spec.name))
      continue;
    errors.push_back(spec.name + ": built on " + builder.name + " (" + builder.arch +
                     ") but placed on " + host.name + " (" + host.arch +
                     "); baton builds once per service");
  }
}

}  // namespace

bool NeedsBuiltImage(const UpContext& context, const HostState& host, const ServiceSpec& spec,
                     const std::vector<Action>& containers) {
  if (context.options.images_only) return PlacedOn(context, host.name, spec.name);
  for (const Action& c : containers)
    if (c.service == spec.name && c.kind != ActionKind::kStartContainer) return true;
  return false;
}

std::string ImageSource(const UpContext& context, const ServiceSpec& spec) {
  const std::string& tag = spec.content.build->tag;
  for (const HostState& host : context.actual.hosts)
    if (host.reachable && host.images.count(tag)) return host.name;
  if (context.options.build_local) return "";
  for (const HostState& host : context.actual.hosts)
    if (host.reachable && PlacedOn(context, host.name, spec.name)) return host.name;
  return "";
}

std::vector<Action> BuildActions(const UpContext& context, std::vector<std::string>& errors) {
  std::vector<Action> actions;
  for (const ServiceSpec& spec : context.desired.services) {
    if (!spec.content.build || !context.scope.count(spec.name)) continue;
    if (ImageAvailable(context, spec) || !ImageMissing(context, spec)) continue;
    std::string host = ImageSource(context, spec);
    if (const HostState* builder = context.actual.FindHost(host))
      CheckArchitectures(context, spec, *builder, errors);
    Action build{ActionKind::kBuildImage, host, spec.name, 0, spec.content.build->tag, "",
                 spec.content.build->label, {}, "", ""};
    actions.push_back(std::move(build));
  }
  return actions;
}

}  // namespace baton::planner
