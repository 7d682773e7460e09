#pragma once
// Stage 3, once per compose file after interpolation: checks the file against
// the compose-spec and rewrites every key that has several syntaxes into one
// long form, in place, so the multi-file merge, extends and normalisation
// see one shape. The canonical forms are those `docker compose config`
// prints (ports as mappings with one entry per port, volumes as mappings,
// list-or-dict keys as mappings, commands as lists, ...); canonical.cc lists
// them. Scalars keep their text: durations and byte sizes are checked here
// but parsed by normalisation.

#include "base/result.h"
#include "compose/node.h"

namespace baton::compose {

// Checks one whole compose file against the compose-spec and rewrites short
// syntax to long, in place. Unknown keys (other than `x-` extensions where
// the spec allows them), values of the wrong type, values outside an enum
// and malformed short syntax are kInvalid errors located at the offending
// node: "compose.yaml:3:5: services.web: unknown key \"imag\"". On error the
// tree may be partly rewritten. A Null root (an empty file) is accepted.
// Tags are kept for the merge: a value tagged `!reset` is left as written,
// sequence items tagged `!reset` are dropped, and a value rewritten to its
// long form keeps its tag (`environment: !override [A=1]` becomes a mapping
// tagged `!override`).
Status Canonicalise(Node& file_root);

// Same for one service mapping alone (used when merging/extending); `at` is
// its model path (services.web). Canonicalising a canonical service changes
// nothing.
Status CanonicaliseService(Node& service, const ModelPath& at);

}  // namespace baton::compose
