#pragma once
// What Place (placement.cc) works from, indexed for speed: the facts about
// each service that do not change while a placement grows (PlacementInput),
// and the running tally of what it has placed so far (PlacementTally).
// Services and hosts are named by their index in DesiredState::services and
// ActualState::hosts. Internal to the planner.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "planner/placement.h"

namespace baton::planner {

struct ServiceFacts {
  std::vector<size_t> affinity;  // services each host must run a replica of
  // Services no host may share with this one: its own anti_affinity list
  // and every service that lists it, so the rule holds whichever is placed first.
  std::vector<size_t> anti_affinity;
  // The service's local volumes that some host holds: the host must hold
  // each of them. A volume no host holds yet pins nothing.
  std::vector<std::string> pinned_volumes;
  // For each `spread` attribute, an index into PlacementInput::attribute_values.
  std::vector<size_t> spread_attributes;
};

// The value of `attribute` (node.hostname, node.labels.<key>,
// node.platform.os, node.platform.arch) on `host`; "" when the host has no
// such label. node.hostname gives the hosts-file name.
std::string AttributeValue(const std::string& attribute, const HostState& host);

class PlacementInput {
 public:
  // All three must outlive the input.
  PlacementInput(const DesiredState& desired, const ActualState& actual,
                 const PlacementHints& hints);
  // Without hints. Both must outlive the input.
  PlacementInput(const DesiredState& desired, const ActualState& actual);

  const DesiredState& desired() const { return desired_; }
  const ActualState& actual() const { return actual_; }
  size_t host_count() const { return actual_.hosts.size(); }
  const HostState& host(size_t index) const { return actual_.hosts[index]; }
  const ServiceSpec& service(size_t index) const { return desired_.services[index]; }
  const ServiceFacts& facts(size_t service) const { return facts_[service]; }
  const PlacementHints& hints() const { return hints_; }
  // Whether `host` holds the engine volume `volume`: its engine lists it, or
  // the hints say so (an unreachable host's volumes are known only there).
  bool Holds(size_t host, const std::string& volume) const;
  // For a spread attribute: a small integer per host, equal for equal values.
  const std::vector<int>& attribute_values(size_t attribute) const {
    return attribute_values_[attribute];
  }
  int attribute_value_count(size_t attribute) const { return attribute_value_counts_[attribute]; }

 private:
  size_t InternAttribute(const std::string& attribute);

  const DesiredState& desired_;
  const ActualState& actual_;
  const PlacementHints& hints_;
  std::vector<ServiceFacts> facts_;
  std::vector<std::string> attribute_names_;
  std::vector<std::vector<int>> attribute_values_;
  std::vector<int> attribute_value_counts_;
};

// What the placement has chosen so far. Filters and scorers read it; only
// Place adds to it.
class PlacementTally {
 public:
  explicit PlacementTally(const PlacementInput& input);

  // Counts one replica of `service` on `host`: its reservations, ports and
  // spread groups.
  void Add(size_t service, size_t host);

  int replicas(size_t service, size_t host) const {
    const std::vector<int>& counts = replicas_[service];
    return counts.empty() ? 0 : counts[host];
  }
  int total(size_t host) const { return totals_[host]; }
  double cpus(size_t host) const { return cpus_[host]; }
  int64_t memory(size_t host) const { return memory_[host]; }
  // Replicas of `service` on hosts whose value of its spread attribute
  // number `spread` (an index into ServiceSpec::spread) is `value`.
  int spread_group(size_t service, size_t spread, int value) const {
    const std::vector<std::vector<int>>& groups = spread_groups_[service];
    return groups.empty() ? 0 : groups[spread][value];
  }
  // Whether a replica placed so far on `host` publishes `port`: the same
  // protocol and number, on the same address or with either on all addresses.
  bool Publishes(size_t host, const PublishedPort& port) const;

 private:
  const PlacementInput& input_;
  std::vector<std::vector<int>> replicas_;  // [service][host], empty until used
  std::vector<int> totals_;
  std::vector<double> cpus_;
  std::vector<int64_t> memory_;
  std::vector<std::vector<std::vector<int>>> spread_groups_;  // [service][spread][value]
  std::vector<std::vector<PublishedPort>> ports_;             // [host]
};

}  // namespace baton::planner
