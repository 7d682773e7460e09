#pragma once
// The order Place visits services in. Internal to the planner.

#include <cstddef>
#include <vector>

#include "planner/placement_input.h"

namespace baton::planner {

// Indices into DesiredState::services: each service after the services its
// affinity names, so those are placed first and the affinity filter sees
// them; otherwise global services first (they claim their share of every
// host before replicated ones fill it), then by name. An affinity cycle is
// broken at the lowest name of the services left.
std::vector<size_t> PlacementOrder(const PlacementInput& input);

}  // namespace baton::planner
