#pragma once
// Where a problem found in a normalised service was written, for errors
// found after loading (validation, the planner): "file:line:col: model.path".

#include <string>

#include "compose/model.h"
#include "compose/node.h"

namespace baton::compose {

// The mark of `key` in the service ("deploy.placement.constraints[0]",
// "container_name"), else of its nearest parent key with a mark, else of the
// service itself. The loader marks top-level keys and some list items.
const Mark& ServiceKeyMark(const Service& service, const std::string& key);

// services.<name>
ModelPath ServicePath(const Service& service);

}  // namespace baton::compose
