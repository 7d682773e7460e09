#pragma once
// Loading a compose project the way Docker Compose v2 does. The stages, in
// the order load.cc calls them:
//   DiscoverProject: files, project directory, variables (.env), profiles
//     (discover.h)
//   ReadComposeFile, per file: read and ParseYaml (load_files.h)
//   ChooseProjectName (name:, -p, ...), then COMPOSE_PROJECT_NAME joins the
//     variables the files are interpolated with (discover.h)
//   LoadParsedFiles (load_files.h), for each file in order:
//     Interpolate -> Canonicalise (schema check, short syntax to long, tags
//     kept) -> ResolvePaths -> ResolveIncludes (each included project loaded
//     the same way) -> ResolveExtends (after includes, so a service may
//     extend an included one); then MergeFiles into the files before it
//     (compose-spec merge rules, !reset/!override); then missing build
//     contexts set to the project directory
//   an empty project (nothing but `version:`) is refused; `name` is set
//   Normalise: the typed model, and compose's defaults unless normalize is
//     off; reads no files (normalise.h)
//   ApplyProfiles: services not enabled move to disabled_services
//     (profiles.h)
//   ResolveEnvironment: env_file and label_file of the enabled services only,
//     as compose never reads those of disabled services (normalise.h)
//   Validate, unless check_consistency is off: undefined references,
//     depends_on cycles, among the enabled services (validate.h)
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
