#pragma once
// Shared by the compose tests that work on document trees (canonical, merge,
// extends, include): YAML text in, Node out, and Node comparisons that print
// both trees when they differ.

#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "compose/node.h"
#include "compose/serialize.h"
#include "compose/yaml_reader.h"

namespace baton::compose::testing {

// `text` parsed as the file `file`; a parse error fails the test.
inline Node Yaml(const std::string& text, const std::string& file = "compose.yaml") {
  auto node = ParseYaml(text, file);
  if (!node.ok()) FAIL(node.error().ToString());
  return std::move(*node);
}

// Checks that `actual` has the content of the YAML text `expected` (marks,
// tags and quoting aside).
inline void CheckSame(const Node& actual, const std::string& expected) {
  Node want = Yaml(expected, "expected.yaml");
  INFO("actual:\n" << ToYaml(actual) << "expected:\n" << ToYaml(want));
  CHECK(actual.SameContent(want));
}

// The scalar text under `key` of the mapping `node`; "<none>" when the key is
// absent or not a scalar.
inline std::string Text(const Node& node, const std::string& key) {
  const Node* value = node.Find(key);
  return value && value->IsScalar() ? value->scalar() : "<none>";
}

}  // namespace baton::compose::testing
