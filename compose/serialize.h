#pragma once
// The output side of the loader: the typed model back to a Node tree, and a
// Node tree to YAML or JSON text. `baton config` prints a project with these.
//
// Scalars in the trees built here follow one convention, which ToYaml and
// ToJson rely on:
// - quoted() == true: a string. ToYaml quotes it only when a reader would
//   otherwise take it for something else ("8000", "true", "0440", "", "a: b");
//   ToJson writes a JSON string.
// - quoted() == false: a typed value, written as is: an integer, a double,
//   true/false, or null. ToJson writes a JSON number, boolean or null (text
//   that is none of these stays a string).
// Pass-through nodes of the model (Service::other, extensions) keep the
// quoting they were read with, so typed values in them stay typed.

#include <string>

#include "compose/model.h"
#include "compose/node.h"

namespace baton::compose {

// The project as `docker compose config` prints it: ports and volumes in long
// form, environment and labels as maps, durations as Go durations ("1m30s"),
// byte sizes as strings of bytes ("52428800"), file modes as octal strings
// ("0440"), absolute paths. Secret and config values never appear (only their
// file path or environment variable name); inline config `content` does.
// Fields not set in the model are omitted. Keys come in the order compose
// prints them (its struct order; map keys sorted; x- extensions last, sorted).
// Disabled services are not included.
Node ProjectToNode(const Project& project);

// YAML text, block style, 2-space indent, sequences indented under their key.
// Mapping keys are written in the node's order (ProjectToNode already orders
// them as compose does). Strings are quoted only when needed to read back as
// the same string; multi-line strings become literal blocks (`|`, `|-`, `|+`).
// Ends with a newline.
std::string ToYaml(const Node& node);

// JSON text, 2-space indent, object keys sorted. Invalid UTF-8 in strings is
// replaced by U+FFFD rather than failing. Ends with a newline.
std::string ToJson(const Node& node);

}  // namespace baton::compose
