#pragma once
// Reading a service's `x-baton` extension: the placement rules baton adds
// beyond the compose-spec (see desired_state.h).

#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"

namespace baton::planner {

struct XBaton {
  std::vector<std::string> affinity;       // sorted, no duplicates
  std::vector<std::string> anti_affinity;  // sorted, no duplicates
};

// `x-baton` may be absent or null (no rules) or a mapping with `affinity`
// and `anti_affinity`, each a service name or a list of them. Errors are
// kInvalid at the offending key or item ("compose.yaml:7:19:
// services.web.x-baton.affinity[0]: ..."): another type, an unknown key, a
// name that is not an enabled service of `project`, the service itself, or
// a service listed under both keys.
Result<XBaton> ReadXBaton(const compose::Project& project, const compose::Service& service);

}  // namespace baton::planner
