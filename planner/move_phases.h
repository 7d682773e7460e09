#pragma once
// A graceful move (`baton hosts drain`): the new replicas first, the old
// ones removed only after, so a service never has fewer running replicas
// than before while it moves.

#include <vector>

#include "planner/plan.h"

namespace baton::planner {

struct MovePhases {
  // Everything but removals: networks, volumes, images, builds, uploads,
  // netd, creates, recreates and starts, with their `after` indices
  // renumbered into this plan.
  Plan bring_up;
  // The stops and removals (containers, networks, volumes, images, copies,
  // netd), and anything that waits on one, with their `after` renumbered; an
  // `after` that pointed into bring_up is dropped, since bring_up has
  // finished before this phase runs.
  Plan take_down;
};

// Splits `plan` in two. Both halves carry the plan's project, placement,
// unplaced, unreachable hosts, subnets, errors and notes.
MovePhases SplitMoves(const Plan& plan);

}  // namespace baton::planner
