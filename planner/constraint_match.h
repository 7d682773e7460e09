#pragma once
// Whether a host satisfies a placement constraint (desired_state.h's
// Constraint). Pure.

#include <string>

#include "planner/actual_state.h"
#include "planner/desired_state.h"

namespace baton::planner {

// The engine's architecture name for `arch`, lower case: Go's names (what
// compose files use) map to the kernel's (what the engine reports), so
// "amd64" and "x86_64" compare equal, as do "arm64" and "aarch64".
std::string CanonicalArch(const std::string& arch);

// node.hostname matches the hosts-file name or the engine host's own
// hostname; node.labels.<key> the hosts-file label (a host without the label
// matches only `!=`); node.platform.os and node.platform.arch the engine's,
// ignoring case, arch by CanonicalArch. An unknown attribute has no value.
bool MatchesConstraint(const Constraint& constraint, const HostState& host);

}  // namespace baton::planner
