// The placement scorers, declared in placement_scorers.h.

#include "planner/placement_scorers.h"

#include <algorithm>
#include <cmath>

namespace baton::planner {
namespace {

// Shares are compared for equality to find ties, so they are rounded: two
// hosts holding 0.1 + 0.2 and 0.3 CPUs are equally loaded.
double Rounded(double share) { return std::round(share * 1e6) / 1e6; }

double Share(double used, double capacity) { return capacity > 0 ? used / capacity : 0; }

}  // namespace

void SpreadAttributeScorer::Score(const PlacementRequest& request, const std::vector<size_t>& hosts,
                                  std::vector<double>& scores) const {
  size_t attribute = request.facts().spread_attributes[spread_];
  const std::vector<int>& values = request.input.attribute_values(attribute);
  for (size_t i = 0; i < hosts.size(); ++i)
    scores[i] = -request.tally.spread_group(request.service, spread_, values[hosts[i]]);
}

void ServiceSpreadScorer::Score(const PlacementRequest& request, const std::vector<size_t>& hosts,
                                std::vector<double>& scores) const {
  for (size_t i = 0; i < hosts.size(); ++i)
    scores[i] = -request.tally.replicas(request.service, hosts[i]);
}

void ReservationScorer::Score(const PlacementRequest& request, const std::vector<size_t>& hosts,
                              std::vector<double>& scores) const {
  const ServiceSpec& spec = request.spec();
  for (size_t i = 0; i < hosts.size(); ++i) {
    const HostState& host = request.host(hosts[i]);
    double cpus = host.reserved_cpus_elsewhere + request.tally.cpus(hosts[i]) + spec.reserved_cpus;
    double memory = static_cast<double>(host.reserved_memory_elsewhere +
                                        request.tally.memory(hosts[i]) + spec.reserved_memory);
    double share =
        std::max(Share(cpus, host.cpus), Share(memory, static_cast<double>(host.memory)));
    scores[i] = -Rounded(share);
  }
}

void ProjectSpreadScorer::Score(const PlacementRequest& request, const std::vector<size_t>& hosts,
                                std::vector<double>& scores) const {
  for (size_t i = 0; i < hosts.size(); ++i) scores[i] = -request.tally.total(hosts[i]);
}

}  // namespace baton::planner
