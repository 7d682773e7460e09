#pragma once
// Hand-built desired and actual states for placement and plan tests.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "planner/placement.h"

namespace baton::planner::testing {

inline ServiceSpec Service(const std::string& name, int replicas = 1) {
  ServiceSpec spec;
  spec.name = name;
  spec.service.name = name;
  spec.service.image = "img/" + name;
  spec.replicas = replicas;
  spec.spec_hash = "hash-" + name;
  spec.part_hashes = {{"image", "i-" + name}, {"environment", "e-" + name}};
  return spec;
}

inline ServiceSpec Global(const std::string& name) {
  ServiceSpec spec = Service(name);
  spec.global = true;
  return spec;
}

inline Constraint Rule(const std::string& attribute, bool equal, const std::string& value) {
  return {attribute, equal, value, attribute + (equal ? "==" : "!=") + value};
}

inline HostState Host(const std::string& name, std::map<std::string, std::string> labels = {}) {
  HostState host;
  host.name = name;
  host.reachable = true;
  host.labels = std::move(labels);
  host.hostname = name + ".engine";
  host.os = "linux";
  host.arch = "x86_64";
  return host;
}

inline DesiredState Desired(std::vector<ServiceSpec> services,
                            const std::string& project = "shop") {
  DesiredState desired;
  desired.project = project;
  desired.services = std::move(services);
  return desired;
}

inline ActualState Actual(std::vector<HostState> hosts, const std::string& project = "shop") {
  ActualState actual;
  actual.project = project;
  actual.hosts = std::move(hosts);
  return actual;
}

// A container of `spec`'s replica `slot`, running with the spec's hash.
inline ActualContainer Replica(const ServiceSpec& spec, int slot,
                               const std::string& project = "shop") {
  ActualContainer c;
  c.id = "id-" + spec.name + "-" + std::to_string(slot);
  c.name = ContainerName(project, spec, slot);
  c.service = spec.name;
  c.slot = slot;
  c.spec_hash = spec.spec_hash;
  c.part_hashes = spec.part_hashes;
  c.state = "running";
  c.image = spec.service.image;
  for (const FileCopyUse& copy : spec.content.copies) c.file_copies.push_back(copy.digest);
  return c;
}

// "web-1@lab1 web-2@lab2": the assignments in a line, easy to compare whole.
inline std::string Where(const Placement& placement) {
  std::string out;
  for (const Assignment& a : placement.assignments)
    out += (out.empty() ? "" : " ") + a.service + "-" + std::to_string(a.slot) + "@" + a.host;
  return out;
}

// The actual state `placement` leaves: every assignment a running container
// with the current spec on its host, which now holds the service's volumes.
inline ActualState Applied(const DesiredState& desired, ActualState actual,
                           const Placement& placement) {
  for (HostState& host : actual.hosts) host.containers.clear();
  for (const Assignment& a : placement.assignments) {
    const ServiceSpec* spec = nullptr;
    for (const ServiceSpec& s : desired.services)
      if (s.name == a.service) spec = &s;
    for (HostState& host : actual.hosts) {
      if (host.name != a.host) continue;
      host.containers.push_back(Replica(*spec, a.slot, desired.project));
      host.volumes.insert(spec->local_volumes.begin(), spec->local_volumes.end());
    }
  }
  return actual;
}

}  // namespace baton::planner::testing
