// ServiceOrder and ActionKindName, declared in plan.h.

#include <map>
#include <set>

#include "planner/plan.h"

namespace baton::planner {
namespace {

// For each service, how many of its dependencies (among `desired`'s
// services) have not started yet, and who waits on it.
struct DependencyGraph {
  std::map<std::string, int> waiting_on;
  std::map<std::string, std::vector<std::string>> dependents;
};

DependencyGraph BuildGraph(const DesiredState& desired) {
  DependencyGraph graph;
  for (const ServiceSpec& spec : desired.services) graph.waiting_on[spec.name];
  for (const ServiceSpec& spec : desired.services) {
    for (const auto& [dependency, options] : spec.service.depends_on) {
      if (dependency == spec.name || !graph.waiting_on.count(dependency)) continue;
      ++graph.waiting_on[spec.name];
      graph.dependents[dependency].push_back(spec.name);
    }
  }
  return graph;
}

}  // namespace

// Kahn's algorithm, always taking the ready service with the lowest name, so
// the order is the same every time. Services left in a cycle (the loader
// refuses those, but a hand-built state may have one) follow in name order
// rather than be dropped.
std::vector<std::string> ServiceOrder(const DesiredState& desired) {
  DependencyGraph graph = BuildGraph(desired);
  std::set<std::string> ready;
  for (const auto& [name, count] : graph.waiting_on)
    if (count == 0) ready.insert(name);
  std::vector<std::string> order;
  while (!ready.empty()) {
    std::string next = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(next);
    for (const std::string& dependent : graph.dependents[next])
      if (--graph.waiting_on[dependent] == 0) ready.insert(dependent);
  }
  for (const auto& [name, count] : graph.waiting_on)
    if (count > 0) order.push_back(name);
  return order;
}

std::string ActionKindName(ActionKind kind) {
  switch (kind) {
    case ActionKind::kCreateNetwork:
      return "create-network";
    case ActionKind::kCreateVolume:
      return "create-volume";
    case ActionKind::kPullImage:
      return "pull";
    case ActionKind::kPushImage:
      return "push";
    case ActionKind::kCreateContainer:
      return "create";
    case ActionKind::kRecreateContainer:
      return "recreate";
    case ActionKind::kStartContainer:
      return "start";
    case ActionKind::kStopContainer:
      return "stop";
    case ActionKind::kRemoveContainer:
      return "remove";
    case ActionKind::kRemoveNetwork:
      return "remove-network";
    case ActionKind::kRemoveVolume:
      return "remove-volume";
    case ActionKind::kRemoveImage:
      return "remove-image";
    case ActionKind::kCreateNetd:
      return "create-netd";
    case ActionKind::kRecreateNetd:
      return "recreate-netd";
    case ActionKind::kRemoveNetd:
      return "remove-netd";
    case ActionKind::kBuildImage:
      return "build";
    case ActionKind::kUploadFiles:
      return "upload-files";
    case ActionKind::kRemoveFiles:
      return "remove-files";
  }
  return "unknown";
}

}  // namespace baton::planner
