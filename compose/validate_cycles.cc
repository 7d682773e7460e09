// depends_on cycles, found and named as compose-go finds them: services in
// name order, each one's dependencies in name order, depth first; the first
// edge back onto the current path closes the reported cycle. Compose starts
// afresh from every service; skipping services already fully explored finds
// the same first cycle, since nothing reachable from them has one, and keeps
// large projects linear. The walk is iterative so a long chain cannot
// exhaust the stack.

#include <map>
#include <string>
#include <vector>

#include "compose/validate_checks.h"

namespace baton::compose::validate {
namespace {

enum class Visit { kOnPath, kDone };

struct Frame {
  const Service* service;
  std::map<std::string, DependsOn>::const_iterator next;
};

void ReportCycle(const std::vector<Frame>& path, size_t from, const std::string& back_to,
                 Findings& findings) {
  std::string cycle;
  for (size_t i = from; i < path.size(); ++i) cycle += path[i].service->name + " -> ";
  cycle += back_to;
  const Service& first = *path[from].service;
  Report(findings, ServiceKeyMark(first, "depends_on"), ServicePath(first).Key("depends_on"),
         "dependency cycle detected: " + cycle);
}

// Walks from `root`; returns true when it reported a cycle.
bool WalkFrom(const Project& project, const Service& root, std::map<std::string, Visit>& visits,
              Findings& findings) {
  std::vector<Frame> path{{&root, root.depends_on.begin()}};
  visits[root.name] = Visit::kOnPath;
  while (!path.empty()) {
    Frame& top = path.back();
    if (top.next == top.service->depends_on.end()) {
      visits[top.service->name] = Visit::kDone;
      path.pop_back();
      continue;
    }
    const std::string& name = (top.next++)->first;
    auto dependency = project.services.find(name);
    if (dependency == project.services.end()) continue;  // reported as undefined
    auto seen = visits.find(name);
    if (seen != visits.end() && seen->second == Visit::kDone) continue;
    if (seen != visits.end()) {
      size_t from = 0;
      while (path[from].service->name != name) ++from;
      ReportCycle(path, from, name, findings);
      return true;
    }
    visits[name] = Visit::kOnPath;
    path.push_back({&dependency->second, dependency->second.depends_on.begin()});
  }
  return false;
}

}  // namespace

void CheckDependencyCycles(const Project& project, Findings& findings) {
  std::map<std::string, Visit> visits;
  for (const auto& [name, service] : project.services) {
    if (visits.count(name)) continue;
    if (WalkFrom(project, service, visits, findings)) return;
  }
}

}  // namespace baton::compose::validate
