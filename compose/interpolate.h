#pragma once
// Stage 2: variable substitution in every scalar of a tree, as compose does:
// $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err},
// ${VAR:+alt}, ${VAR+alt}, nested defaults (${A:-${B:-c}}), and $$ for a
// literal $. Mapping keys are not interpolated, like compose.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "compose/node.h"

namespace baton::compose {

// Looks a variable up; nullopt when it is not set at all (set-but-empty is "").
using Lookup = std::function<std::optional<std::string>(std::string_view name)>;

// Substitutes variables in `text`. Errors (kInvalid, `where` left empty for
// the caller to fill): "required variable X is missing a value: <message>",
// "invalid interpolation format for \"...\"".
Result<std::string> InterpolateString(std::string_view text, const Lookup& lookup);

// Substitutes variables in every scalar below `root`, in place. Errors name
// the node's position and model path: "compose.yaml:4:12: services.web.image:
// required variable TAG is missing a value: set TAG".
Status Interpolate(Node& root, const Lookup& lookup, const ModelPath& at = {});

}  // namespace baton::compose
