#pragma once
// Structural comparison of two compose trees for conformance tests: mappings
// compare as key sets (order ignored), sequences in order, scalars by text.

#include <string>
#include <vector>

#include "compose/node.h"

namespace baton::compose::testing {

// Every difference between `want` and `got`, one line each
// ("services.foo.ports[3].published: want \"8000\", got \"8001\"").
// Empty when they match.
std::vector<std::string> DiffNodes(const Node& want, const Node& got, const std::string& path = "");

}  // namespace baton::compose::testing
