#pragma once
// `<<` merge keys (YAML 1.1), which yaml-cpp 0.7 parses as an ordinary key.
// Used by the YAML reader only; every other stage sees merged mappings.

#include <cstddef>

#include "base/result.h"
#include "compose/node.h"

namespace baton::compose {

// The `<<` entry of a mapping, as written.
struct MergeKey {
  size_t position = 0;  // how many explicit entries were written before `<<`
  Node value;           // should be a mapping or a sequence of mappings
};

// Returns `mapping` with `merge` resolved, as Go's yaml resolves it: keys
// written in `mapping` win over merged ones, and in a list of mappings an
// earlier mapping wins over a later one. The merged entries take the place of
// the `<<` entry, in the order they were written, so the result is
// deterministic. `mapping` must hold no nested `<<` left to resolve (the
// reader resolves each mapping as it closes, so merged mappings are already
// resolved). `at` is the mapping's model path.
// Error: kInvalid "map merge requires map or sequence of maps as the value",
// located at the offending value (at.<< or at.<<[i]).
Result<Node> ResolveMergeKey(Node mapping, MergeKey merge, const ModelPath& at);

}  // namespace baton::compose
