#pragma once
// The placement filters, one rule each (placement_stack.h has the
// interface, placement_stack.cc the order). Static filters
// (placement_host_filters.cc) judge the host alone; the others
// (placement_load_filters.cc) also what the placement put there so far.

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "planner/placement_stack.h"

namespace baton::planner {

// Keep() for a filter whose rule is a per-host `Fits(request, host)`: the
// loop calls Fits directly, so a large host list costs one virtual call.
template <typename Rule>
class HostFilter : public Filter {
 public:
  void Keep(const PlacementRequest& request, std::vector<size_t>& hosts) const final {
    const Rule& rule = static_cast<const Rule&>(*this);
    std::erase_if(hosts, [&](size_t host) { return !rule.Fits(request, host); });
  }
};

// The host answered when the state was read. "is unreachable".
class ReachableFilter final : public HostFilter<ReachableFilter> {
 public:
  std::string_view name() const override { return "reachable"; }
  bool reads_tally() const override { return false; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

// `baton hosts drain` marked the host: it takes no replica, so the ones it
// runs move. A service pinned there by a local volume stays (it can go
// nowhere else; `hosts drain` reports it). "is drained".
class DrainFilter final : public HostFilter<DrainFilter> {
 public:
  std::string_view name() const override { return "drained"; }
  bool reads_tally() const override { return false; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

// deploy.placement.constraints, each by MatchesConstraint.
// "does not match node.labels.zone==eu", naming the first that fails.
class ConstraintFilter final : public HostFilter<ConstraintFilter> {
 public:
  std::string_view name() const override { return "constraints"; }
  bool reads_tally() const override { return false; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

// A service's local volumes hold data only on the host that has them: the
// host must hold each of the service's volumes that some host holds, also
// an unreachable one (PlacementHints::volume_hosts), so a down host's volume
// is never replaced by an empty one elsewhere. "does not hold volume shop_data".
class VolumeFilter final : public HostFilter<VolumeFilter> {
 public:
  std::string_view name() const override { return "volumes"; }
  bool reads_tally() const override { return false; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

// When every holder of one of the service's pinned volumes is unreachable:
// "0/3 hosts: pinned to lab3 (unreachable) by volume shop_data", the
// unplaced reason that says what would bring the replica back (instead of
// counting hosts that lack a volume nobody could give them). nullopt otherwise.
std::optional<std::string> PinnedToUnreachable(const PlacementRequest& request);

// deploy.placement.max_replicas_per_node.
// "already runs 2 replicas (max_replicas_per_node 2)".
class MaxReplicasFilter final : public HostFilter<MaxReplicasFilter> {
 public:
  std::string_view name() const override { return "max-replicas-per-node"; }
  bool reads_tally() const override { return true; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

// x-baton.affinity: the host runs (or gets, earlier in this placement) a
// replica of each named service. "does not run db (affinity)".
class AffinityFilter final : public HostFilter<AffinityFilter> {
 public:
  std::string_view name() const override { return "affinity"; }
  bool reads_tally() const override { return true; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

// x-baton.anti_affinity, both ways. "runs web (anti_affinity)".
class AntiAffinityFilter final : public HostFilter<AntiAffinityFilter> {
 public:
  std::string_view name() const override { return "anti-affinity"; }
  bool reads_tally() const override { return true; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

// deploy.resources.reservations.cpus within the host's CPUs less what other
// projects reserve and this placement put there. A host that reports no
// CPU count (0) is not limited. "lacks cpus (need 2, free 0.5)".
class CpuFilter final : public HostFilter<CpuFilter> {
 public:
  std::string_view name() const override { return "cpus"; }
  bool reads_tally() const override { return true; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

// The same for reservations.memory. "lacks memory (need 2 GiB, free 1.1 GiB)".
class MemoryFilter final : public HostFilter<MemoryFilter> {
 public:
  std::string_view name() const override { return "memory"; }
  bool reads_tally() const override { return true; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

// Fixed published ports: no two replicas of the project on one host publish
// the same protocol and port (an all-addresses publish collides with any
// address), nor one another project's running container publishes there.
// "already publishes tcp port 80", "has tcp port 80 taken by another project".
class PortFilter final : public HostFilter<PortFilter> {
 public:
  std::string_view name() const override { return "ports"; }
  bool reads_tally() const override { return true; }
  bool Fits(const PlacementRequest& request, size_t host) const;
  Rejection Explain(const PlacementRequest& request, size_t host) const override;
};

}  // namespace baton::planner
