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

// Substitutes variables in `text`, with compose's rules and quirks: names
// are [_A-Za-z][_A-Za-z0-9]*; a "$" not followed by "$", a name or "{" stays
// as written; a reference with an operator ends at the last "}" of its line,
// then is cut at the brace that closes its "{" (so defaults may hold braces,
// as in ${A:-{"k":1}}); defaults, alternatives and messages are expanded only
// when used. Errors (kInvalid, `where` left empty for the caller to fill):
//   required variable X is missing a value: <expanded message>
//   required variable X is missing a value          (empty message)
//   invalid interpolation format for "<text>": you may need to escape any $ with another $
//   interpolation nested more than 100 levels deep
Result<std::string> InterpolateString(std::string_view text, const Lookup& lookup);

// Substitutes variables in every scalar below `root`, in place; keys, nulls
// and tags are left alone, and so is the quoted flag, so a plain `${N}` can
// still be read as a number. Stops at the first error. Errors name
// the node's position and model path: "compose.yaml:4:12: services.web.image:
// required variable TAG is missing a value: set TAG".
Status Interpolate(Node& root, const Lookup& lookup, const ModelPath& at = {});

}  // namespace baton::compose
