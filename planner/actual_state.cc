// ActualState::FindHost, declared in actual_state.h.

#include "planner/actual_state.h"

namespace baton::planner {

// A linear scan: callers look up a few hosts, and the order must stay the hosts file's.
const HostState* ActualState::FindHost(const std::string& name) const {
  for (const HostState& host : hosts)
    if (host.name == name) return &host;
  return nullptr;
}

}  // namespace baton::planner
