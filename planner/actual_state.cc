// ActualState::FindHost, declared in actual_state.h.

#include "planner/actual_state.h"

namespace baton::planner {

// Hosts stay in hosts-file order rather than by name, so a linear scan.
const HostState* ActualState::FindHost(const std::string& name) const {
  for (const HostState& host : hosts)
    if (host.name == name) return &host;
  return nullptr;
}

}  // namespace baton::planner
