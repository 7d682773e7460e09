#pragma once
// Placement: which host runs each replica. Pure and deterministic: the same
// desired and actual state always give the same placement.
//
// Feasibility filters first (host reachable, constraints, affinity and
// anti-affinity, max_replicas_per_node, CPU and memory reservations against
// capacity minus what is already reserved, published port collisions, local
// volumes pinning a service to the host that holds them), then scorers
// (keep a replica where it runs, spread across hosts and across each
// `spread` attribute's values, fewest reservations); equal scores go to the
// host first in hosts-file order. Replicas that run, are still valid and
// still wanted stay where they are, so a re-plan moves as few as possible.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "planner/actual_state.h"
#include "planner/desired_state.h"

namespace baton::planner {

struct Assignment {
  std::string service;
  int slot = 0;
  std::string host;
  std::string container_name;
};

// A replica that fits nowhere, with one line of reasons:
// "0/3 hosts: 2 lack memory (need 2 GiB, free 1.1 GiB), 1 does not match node.labels.zone==eu".
struct Unplaced {
  std::string service;
  int slot = 0;
  std::string reason;
};

struct Placement {
  std::vector<Assignment> assignments;  // sorted by (service, slot)
  std::vector<Unplaced> unplaced;
};

// What the watcher knows beyond the engines (issue 6).
struct PlacementHints {
  // The recorded owner of each (service, slot): of two containers claiming a
  // slot, the owner's is kept, so a host that returns after failover loses
  // its stale copies.
  std::map<std::pair<std::string, int>, std::string> owner;
  // Engine volume name -> hosts holding it, also for unreachable hosts, so a
  // down host's local volume still pins its service there.
  std::map<std::string, std::vector<std::string>> volume_hosts;
};

// Drained hosts (HostState::drained) take no replica; replicas running there
// move elsewhere.
Placement Place(const DesiredState& desired, const ActualState& actual,
                const PlacementHints& hints = {});

}  // namespace baton::planner
