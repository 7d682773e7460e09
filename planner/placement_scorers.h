#pragma once
// The placement scorers (placement_stack.h has the interface,
// placement_stack.cc the priority order). Each scores the hosts that passed
// every filter; higher is better.

#include <cstddef>
#include <string_view>
#include <vector>

#include "planner/placement_stack.h"

namespace baton::planner {

// placement.preferences spread: fewer replicas of the service among the
// hosts sharing this host's value of spread attribute number `spread`
// (an index into ServiceSpec::spread).
class SpreadAttributeScorer final : public Scorer {
 public:
  explicit SpreadAttributeScorer(size_t spread) : spread_(spread) {}
  std::string_view name() const override { return "spread-attribute"; }
  bool by_spread_group() const override { return true; }
  void Score(const PlacementRequest& request, const std::vector<size_t>& hosts,
             std::vector<double>& scores) const override;

 private:
  size_t spread_;
};

// Fewer replicas of the service on the host.
class ServiceSpreadScorer final : public Scorer {
 public:
  std::string_view name() const override { return "spread-service"; }
  void Score(const PlacementRequest& request, const std::vector<size_t>& hosts,
             std::vector<double>& scores) const override;
};

// Less of the host reserved once the replica is there: the larger of the
// reserved shares of CPUs and memory, counting other projects' reservations;
// a host that reports no capacity counts as empty.
class ReservationScorer final : public Scorer {
 public:
  std::string_view name() const override { return "reservations"; }
  void Score(const PlacementRequest& request, const std::vector<size_t>& hosts,
             std::vector<double>& scores) const override;
};

// Fewer replicas of the project on the host, so services without
// reservations still spread over the hosts instead of piling on the first.
class ProjectSpreadScorer final : public Scorer {
 public:
  std::string_view name() const override { return "spread-project"; }
  void Score(const PlacementRequest& request, const std::vector<size_t>& hosts,
             std::vector<double>& scores) const override;
};

}  // namespace baton::planner
