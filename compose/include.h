#pragma once
// Top-level `include`: other compose projects whose resources become part of
// this one, as compose loads them. Each entry ({path: [main, overrides...],
// project_directory, env_file: [...]}, canonical form of `include: [f]`) is a
// project of its own:
// - relative `path`, `project_directory` and `env_file` start from the
//   including project's directory;
// - its directory is `project_directory`, else the directory of its first
//   file; its relative paths start there;
// - its variables are the including project's, then those of its env files
//   (by default <its directory>/.env when that file exists) for names the
//   including project does not set;
// - its own includes and extends are resolved, and its files merged.
// Its services, networks, volumes, secrets, configs and models are then
// added to the including file. When the including file (or an earlier
// include) defines the same resource, that definition is merged over the
// included one with the merge rules (merge.h), as compose 2.10 and later do.

#include <string>

#include "base/result.h"
#include "compose/load_files.h"
#include "compose/node.h"

namespace baton::compose {

// Resolves the `include` entries of `file_root` (a canonical file read from
// the absolute path `file`, loaded with `ctx`) and removes the key. Errors,
// located at the entry:
//   compose.yaml:2:5: include[0]: include cycle: compose.yaml -> a.yaml -> compose.yaml
//   compose.yaml:2:5: include[0].path[0]: remote includes are not supported: oci://x
//   compose.yaml:3:7: include[0].env_file[0]: env file not found: /p/x.env
// and any error loading the included files, located in those files.
Status ResolveIncludes(Node& file_root, const std::string& file, const FileStageContext& ctx);

}  // namespace baton::compose
