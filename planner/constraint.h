#pragma once
// Parsing `deploy.placement.constraints` entries into Constraint values (see
// desired_state.h for the attributes baton knows).

#include <string>

#include "base/result.h"
#include "planner/desired_state.h"

namespace baton::planner {

// Parses "attribute==value" or "attribute!=value"; spaces around the
// operator and at either end are allowed and dropped. Errors are kInvalid at
// `where`: no operator (or more than one), an empty attribute or value, or an
// attribute other than node.hostname, node.labels.<key>, node.platform.os and
// node.platform.arch.
Result<Constraint> ParseConstraint(const std::string& text, const std::string& where);

}  // namespace baton::planner
