#pragma once
// A tar stream of a Tree, made while it is read (pull based, a few KiB of
// memory whatever the tree's size): ustar headers, with a PAX record first
// for long names, long link targets, large files or non-ASCII names. It
// digests what it sends as it goes, so Verify() can tell when a file
// changed between the plan and the upload.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/result.h"
#include "runtime/content/tree.h"
#include "runtime/content_source.h"

namespace baton::content {

// Entries are named `prefix` + path ("" for copies; a build context may be
// given a generated Dockerfile entry by its caller, inside `tree`).
// `expected_digest` is TreeDigest(tree, owners); Verify() compares with it.
Result<std::unique_ptr<runtime::TarSource>> OpenTarStream(Tree tree, Owners owners,
                                                          std::string prefix,
                                                          std::string expected_digest);

}  // namespace baton::content
