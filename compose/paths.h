#pragma once
// Makes every relative local path of a canonical compose file (or service)
// absolute, as compose does after loading a file: build contexts (unless
// remote), local additional build contexts, bind volume sources, env_file
// and label_file paths, extends.file, and the `file` of top-level secrets and
// configs. `~` and `~/...` expand to the home directory. Paths are cleaned
// lexically ("./a/../b" -> "<base>/b", no trailing "/"). Include paths are
// resolved by the include stage, not here. Pure: no file is looked at.

#include <string>
#include <string_view>

#include "compose/node.h"

namespace baton::compose {

struct PathContext {
  std::string base_dir;  // absolute directory relative paths start from
  std::string home_dir;  // what `~` stands for; "" leaves `~` unexpanded (a relative name)
};

// Resolves the paths of a whole canonical file (Canonicalise has run).
void ResolvePaths(Node& file_root, const PathContext& ctx);
// Resolves the paths of one canonical service mapping.
void ResolveServicePaths(Node& service, const PathContext& ctx);

// The path `path` names seen from `ctx`: `~` expanded, made absolute against
// base_dir, cleaned. Used for any other local path (include, extends).
std::string ResolvePath(std::string_view path, const PathContext& ctx);
// Go's path.Clean: the shortest lexically equal path ("a//b/../c/" -> "a/c",
// "" -> ".", "/.." -> "/").
std::string CleanPath(std::string_view path);
// True for build contexts compose hands to the builder as they are: git and
// http(s) URLs, github.com/... shorthands, and `name:` references
// (docker-image://, service:, target:) other than local paths.
bool IsRemoteContext(std::string_view context);

}  // namespace baton::compose
