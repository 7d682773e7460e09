#pragma once
// Reads a project's actual state from its hosts, in parallel: containers,
// networks and volumes carrying com.docker.compose.project=PROJECT, the
// host's capacity and what other projects reserve there, and which of the
// desired images each host already has. Read-only.

#include <string>

#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "runtime/host_pool.h"

namespace baton::runtime {

// Unreachable hosts, and hosts whose reading fails halfway, come back with
// reachable = false and the error text; the call itself never fails.
planner::ActualState ObserveProject(const planner::DesiredState& desired, HostPool& pool);

// The same for a project known only by name (`down`, `ps` without a compose
// file): no images are looked up.
planner::ActualState ObserveProjectByName(const std::string& project, HostPool& pool);

}  // namespace baton::runtime
