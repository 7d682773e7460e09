#pragma once
// Stage 1: YAML text -> Node tree, with every value's file:line:column.
// Resolves anchors and aliases (each alias becomes an independent copy) and
// `<<` merge keys (a mapping or a list of mappings; keys written beside the
// merge win, earlier mappings in a merge list win over later ones). Records
// the `!reset` and `!override` tags on the nodes that carry them.

#include <string>
#include <string_view>

#include "base/result.h"
#include "compose/node.h"

namespace baton::compose {

// Parses one YAML document. `file` names the source in marks and errors. An
// empty document gives a Null node. Syntax errors, several documents in one
// stream, and non-string mapping keys are kInvalid errors located at the
// offending position ("compose.yaml:3:5: ..."). Never throws.
Result<Node> ParseYaml(std::string_view text, const std::string& file);

}  // namespace baton::compose
