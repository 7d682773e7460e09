#pragma once
// Shared by the canonical_*_test.cc files: a compose file (or the body of
// its service `web`) through Canonicalise, with the canonical tree or the
// error text out. Marks name the file "compose.yaml".

#include <catch2/catch.hpp>

#include <string>

#include "compose/canonical.h"
#include "tests/compose/node_fixture.h"

namespace baton::compose::testing {

// The whole file `text`, canonicalised; an error fails the test.
inline Node Canonical(const std::string& text) {
  Node root = Yaml(text);
  Status s = Canonicalise(root);
  if (!s.ok()) FAIL(s.error().ToString());
  return root;
}

// The error of canonicalising the whole file `text`, which must fail with a
// kInvalid error (the only kind the stage returns).
inline std::string ErrorOf(const std::string& text) {
  Node root = Yaml(text);
  Status s = Canonicalise(root);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kInvalid);
  return s.error().ToString();
}

inline std::string WebFile(const std::string& body) { return "services:\n  web:\n" + body; }

// The canonical `key` of a service `web` whose body is `body` (indented 4).
inline Node WebKey(const std::string& body, const std::string& key) {
  return *Canonical(WebFile(body)).Find("services")->Find("web")->Find(key);
}

// ErrorOf for a file whose only service `web` has the body `body`.
inline std::string WebErrorOf(const std::string& body) { return ErrorOf(WebFile(body)); }

// The service `web` of a canonical file.
inline const Node& Web(const Node& root) { return *root.Find("services")->Find("web"); }

}  // namespace baton::compose::testing
