#pragma once
// What the docker compose command line decides before any compose file is
// loaded: which files, which project directory, which variables, which
// profiles, and the project name. The process environment is passed in
// (LoadOptions::environment); nothing here reads it.
//
// The order is compose's:
// 1. the env files of the first guess at the project directory
//    (--project-directory, else the directory of the first -f file, else the
//    working directory) are read: --env-file files (relative to the working
//    directory, later ones win; COMPOSE_ENV_FILES, comma separated, when no
//    --env-file is given), else its .env unless COMPOSE_DISABLE_ENV_FILE is
//    true. Their variables fill in what the process environment does not set,
//    so COMPOSE_FILE, COMPOSE_PROFILES, COMPOSE_PROJECT_NAME may come from .env;
// 2. the files: -f in order (relative to the working directory), else
//    COMPOSE_FILE split on COMPOSE_PATH_SEPARATOR (default ":"), else the
//    first of compose.yaml, compose.yml, docker-compose.yml,
//    docker-compose.yaml found in the project directory or the nearest
//    parent, followed by the first of compose.override.yml,
//    compose.override.yaml, docker-compose.override.yml,
//    docker-compose.override.yaml beside it;
// 3. the project directory: --project-directory, else the directory of the
//    first file; without --env-file its .env is read as in step 1;
// 4. the profiles: --profile, else COMPOSE_PROFILES (comma separated).

#include <string>
#include <string_view>
#include <vector>

#include "base/file_system.h"
#include "base/result.h"
#include "compose/load.h"
#include "compose/load_files.h"

namespace baton::compose {

struct DiscoveredProject {
  std::vector<std::string> files;     // absolute, in load order
  std::string project_dir;            // absolute
  Environment environment;            // the process environment, then env-file variables
  std::vector<std::string> profiles;  // active profiles
};

// Steps 1-4 above. Errors: kNotFound when no compose file is found ("no
// compose file (compose.yaml, ...) in /p or its parents") or an --env-file
// or COMPOSE_FILE entry does not exist; kInvalid for `-f -` (standard input
// is not supported) and env file syntax errors ("/p/.env:3: ...").
Result<DiscoveredProject> DiscoverProject(const LoadOptions& options, FileSystem& files);

// The project name, by compose's precedence: -p; then COMPOSE_PROJECT_NAME;
// then the `name:` of the last file that sets one, interpolated (unless
// options.interpolate is false) and, when options.normalize, normalised;
// then the normalised name of the project directory. An explicit name (-p,
// COMPOSE_PROJECT_NAME) that is not already normal is a kInvalid error, as
// is an empty result.
Result<std::string> ChooseProjectName(const LoadOptions& options, const DiscoveredProject& project,
                                      const std::vector<ParsedFile>& files);

// Compose's normal form of a project name: lower case, only [a-z0-9_-],
// no leading '_' or '-'. "My App_1" -> "myapp_1".
std::string NormalizeProjectName(std::string_view name);

}  // namespace baton::compose
