#pragma once
// A tree of local files as baton sends it to a host (a build context, or a
// copy of project files), and its canonical digest. Only this digest, never
// a path on the local disk or an mtime, decides whether a host has the
// content already, so two checkouts of one project share copies.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/content/ignore_rules.h"

namespace baton::content {

struct TreeEntry {
  enum class Type { kDirectory, kFile, kSymlink } type = Type::kFile;
  std::string path;  // relative, "/"-separated; "" is the root itself
  uint32_t mode = 0;  // permission bits, 07777
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  int64_t mtime = 0;  // sent in tars, never digested
  std::string link_target;
  std::filesystem::path source;  // the local file; empty for generated entries
  std::optional<std::string> generated;  // dockerfile_inline, a config's content
};

struct Tree {
  std::vector<TreeEntry> entries;  // sorted by path, bytewise
  // Paths left out because they are neither files, folders nor symlinks
  // (sockets, fifos, devices), for a plan note.
  std::vector<std::string> skipped;
  uint64_t bytes() const;  // sum of file sizes
  uint64_t files() const;  // regular files
};

// Walks `root` (a folder, or one file: then a one-entry tree named after it)
// without following symlinks. Paths `ignore` excludes are left out; an
// excluded folder is not entered unless something below it may come back.
// kNotFound when `root` does not exist, kInvalid when unreadable, naming the
// path.
Result<Tree> ReadTree(const std::filesystem::path& root, const IgnoreRules* ignore = nullptr);

// Build contexts are sent owned by root (as the Docker CLI does); copies of
// project files keep their owners.
enum class Owners { kKeep, kRoot };

// "baton-tree-v1\n", then for each entry in path order: type, path, mode,
// uid, gid (both "-" with kRoot), size, and the SHA-256 of the content or
// the link target. Reads every file. Hex SHA-256.
Result<std::string> TreeDigest(const Tree& tree, Owners owners);

}  // namespace baton::content
