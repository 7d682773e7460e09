#pragma once
// The placement stack: feasibility filters, then scorers, each a small named
// object, assembled in one place (placement_stack.cc) in the order they run.
// Place (placement.cc) runs the stack for each replica. Internal to the planner.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "planner/placement_input.h"

namespace baton::planner {

// One replica to place: a slot of a service, against the tally so far.
struct PlacementRequest {
  const PlacementInput& input;
  const PlacementTally& tally;
  size_t service = 0;  // index into DesiredState::services
  int slot = 0;
  // The reachable host that holds this slot's container now, if any.
  std::optional<size_t> current_host;

  const ServiceSpec& spec() const { return input.service(service); }
  const ServiceFacts& facts() const { return input.facts(service); }
  const HostState& host(size_t index) const { return input.host(index); }
};

// Why one host cannot take a replica, in both numbers so the unplaced line
// reads "1 lacks memory" and "2 lack memory". Hosts whose rejections share
// `group` are counted together, shown with the text of the one with the
// highest `rank` (the most free memory, say).
struct Rejection {
  std::string one;   // "lacks memory (need 2 GiB, free 1.1 GiB)"
  std::string many;  // "lack memory (need 2 GiB, free 1.1 GiB)"
  std::string group;
  double rank = 0;
};

class Filter {
 public:
  virtual ~Filter() = default;
  virtual std::string_view name() const = 0;
  // False for a filter that reads only the service and the host (never the
  // tally): its verdict holds for the whole placement, so Place runs it once
  // per service.
  virtual bool reads_tally() const = 0;
  // Removes from `hosts` those that cannot take the replica, keeping the
  // order of the rest. Reads the tally only at the host it judges, so once a
  // replica is added Place re-checks only that host.
  virtual void Keep(const PlacementRequest& request, std::vector<size_t>& hosts) const = 0;
  // Why `host` cannot take the replica. Only for a host Keep would remove.
  virtual Rejection Explain(const PlacementRequest& request, size_t host) const = 0;
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  virtual std::string_view name() const = 0;
  // One score per host of `hosts` into `scores` (as long as `hosts`), higher
  // is better. Reads the tally; placing a replica may only lower scores.
  virtual void Score(const PlacementRequest& request, const std::vector<size_t>& hosts,
                     std::vector<double>& scores) const = 0;
  // True when the score depends only on the host's values of the service's
  // spread attributes, not on the host itself, so one host scores its whole
  // group; otherwise a replica placed on a host changes no other host's score.
  virtual bool by_spread_group() const { return false; }
};

struct PlacementStack {
  std::vector<std::unique_ptr<Filter>> filters;  // cheapest first
  // In priority order: a later scorer only breaks the ties of those before.
  std::vector<std::unique_ptr<Scorer>> scorers;
};

// The filters that can reject a host for `service` (a service without
// published ports gets no port filter) and the scorers, in the order they run.
PlacementStack MakePlacementStack(const ServiceSpec& service, const ServiceFacts& facts);

}  // namespace baton::planner
