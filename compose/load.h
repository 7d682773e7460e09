#pragma once
// Loading a compose project the way Docker Compose v2 does. The stages, in
// the order load.cc calls them:
//   discover files and project name (discover.h)
//   per file: ParseYaml -> Interpolate -> Canonicalise (schema check, short
//             syntax to long) -> ResolvePaths -> ResolveExtends
//   MergeFiles (compose-spec merge rules), ResolveIncludes
//   Normalise (typed model, env_file/label_file, defaults) -> ApplyProfiles
//   Validate (undefined references, depends_on cycles)
// Every stage is a free function with typed input and output.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/result.h"
#include "compose/model.h"

namespace baton::compose {

using Environment = std::map<std::string, std::string>;

struct LoadOptions {
  std::vector<std::string> files;      // -f, in order; empty: COMPOSE_FILE, then discovery
  std::string project_directory;       // --project-directory; "" = directory of the first file
  std::string project_name;            // -p; "" = name:, COMPOSE_PROJECT_NAME, or directory name
  std::vector<std::string> profiles;   // --profile; empty = COMPOSE_PROFILES
  std::vector<std::string> env_files;  // --env-file; empty = <project dir>/.env if present
  std::filesystem::path working_dir;   // where the command runs (absolute)
  Environment environment;             // the process environment
  std::string home_dir;                // for ~ in paths; "" = environment["HOME"]

  bool interpolate = true;        // false: --no-interpolate
  bool normalize = true;          // add the default network, resource names, ...
  bool check_consistency = true;  // reject undefined networks/volumes/secrets/configs/services
};

// Loads, merges and normalises the project. Every error names the file,
// line, column and model path where it was found. Never throws.
Result<Project> Load(const LoadOptions& options, FileSystem& files);

}  // namespace baton::compose
