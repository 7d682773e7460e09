// The placement stack in the order it runs: MakePlacementStack is the one
// place that says which rules exist and which comes first.

#include "planner/placement_stack.h"

#include "planner/placement_filters.h"
#include "planner/placement_scorers.h"

namespace baton::planner {

// Filters run cheapest first, so a host is usually dropped by a comparison
// before anything looks at its ports. A filter with nothing to check for the
// service is left out, which also keeps the unplaced line to rules that apply.
//
// Scorers compare in priority order, each breaking only the ties of those
// before it (rather than a weighted sum, whose weights would need tuning and
// could let a lightly loaded host beat the spread): spread over each spread
// attribute's values, then over hosts, then the least reserved host, then
// the host with the fewest of the project's replicas; equal hosts go to the
// first in hosts-file order. Above them all, a slot whose container sits on
// a host that can take it stays there (Place does that before asking).
PlacementStack MakePlacementStack(const ServiceSpec& service, const ServiceFacts& facts) {
  PlacementStack stack;
  stack.filters.push_back(std::make_unique<ReachableFilter>());
  stack.filters.push_back(std::make_unique<DrainFilter>());
  if (!service.constraints.empty()) stack.filters.push_back(std::make_unique<ConstraintFilter>());
  if (!facts.pinned_volumes.empty()) stack.filters.push_back(std::make_unique<VolumeFilter>());
  if (service.max_replicas_per_node) stack.filters.push_back(std::make_unique<MaxReplicasFilter>());
  if (!facts.affinity.empty()) stack.filters.push_back(std::make_unique<AffinityFilter>());
  if (!facts.anti_affinity.empty()) stack.filters.push_back(std::make_unique<AntiAffinityFilter>());
  if (service.reserved_cpus > 0) stack.filters.push_back(std::make_unique<CpuFilter>());
  if (service.reserved_memory > 0) stack.filters.push_back(std::make_unique<MemoryFilter>());
  if (!service.published_ports.empty()) stack.filters.push_back(std::make_unique<PortFilter>());

  for (size_t k = 0; k < facts.spread_attributes.size(); ++k)
    stack.scorers.push_back(std::make_unique<SpreadAttributeScorer>(k));
  stack.scorers.push_back(std::make_unique<ServiceSpreadScorer>());
  stack.scorers.push_back(std::make_unique<ReservationScorer>());
  stack.scorers.push_back(std::make_unique<ProjectSpreadScorer>());
  return stack;
}

}  // namespace baton::planner
