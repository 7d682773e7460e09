// UpContext, declared in plan_up.h: the lookups every part of an up plan needs.

#include <deque>

#include "planner/cluster_subnets.h"
#include "planner/plan_up.h"

namespace baton::planner {
namespace {

// The named services and everything they depend on, transitively. Names the
// desired state lacks are skipped (the command line checks them).
std::set<std::string> Scope(const DesiredState& desired, const UpOptions& options) {
  std::set<std::string> scope;
  if (options.services.empty()) {
    for (const ServiceSpec& spec : desired.services) scope.insert(spec.name);
    return scope;
  }
  std::deque<std::string> todo(options.services.begin(), options.services.end());
  while (!todo.empty()) {
    std::string name = todo.front();
    todo.pop_front();
    const ServiceSpec* spec = desired.FindService(name);
    if (!spec || !scope.insert(name).second) continue;
    for (const auto& [dependency, condition] : spec->service.depends_on) todo.push_back(dependency);
  }
  return scope;
}

}  // namespace

UpContext::UpContext(const DesiredState& desired_state, const ActualState& actual_state,
                     const Placement& placement_in, const UpOptions& options_in)
    : desired(desired_state),
      actual(actual_state),
      placement(placement_in),
      options(options_in),
      scope(Scope(desired_state, options_in)) {
  for (const Assignment& a : placement.assignments) {
    placed_on[{a.service, a.slot}] = a.host;
    if (scope.count(a.service)) assigned[a.host].push_back(&a);
  }
  for (const Unplaced& u : placement.unplaced) {
    unplaced.insert({u.service, u.slot});
    unplaced_services.insert(u.service);
  }
  for (const HostState& host : actual.hosts)
    for (const ActualContainer& c : host.containers)
      container_hosts[{c.service, c.slot}].push_back(host.name);
  for (const NetworkSpec& n : desired.networks) {
    if (!n.network.external) network_names[n.key] = n.network.name;
    if (SpansHosts(n.network)) spanned_networks.insert(n.network.name);
  }
  for (const VolumeSpec& v : desired.volumes)
    if (!v.volume.external) volume_names[v.key] = v.volume.name;
}

}  // namespace baton::planner
