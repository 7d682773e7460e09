#pragma once
// Where a problem found in a normalised service was written, for errors the
// planner reports after loading: the same "file:line:col: model.path" form
// the compose validator gives.

#include <string>

#include "compose/model.h"
#include "compose/node.h"

namespace baton::planner {

// The mark of `key` in the service ("deploy.placement.constraints[0]",
// "container_name"), else of its nearest parent key with a mark, else of the
// service itself. The loader marks top-level keys and some list items.
const compose::Mark& ServiceKeyMark(const compose::Service& service, const std::string& key);

// services.<name>
compose::ModelPath ServicePath(const compose::Service& service);

}  // namespace baton::planner
