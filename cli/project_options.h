#pragma once
// The compose project flags shared by every command that loads a project, as
// docker compose has them: -f/--file, -p/--project-name, --profile,
// --env-file, --project-directory. They belong to the top-level app, so they
// may come before the command (`baton -f a.yaml config`); commands declare
// `fallthrough()` so the same flags are also accepted after it.

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/load.h"

namespace CLI { class App; }

namespace baton::cli {

struct ProjectOptions {
  std::vector<std::string> files;      // -f, repeatable, in order
  std::string project_name;            // -p
  std::vector<std::string> profiles;   // --profile, repeatable
  std::vector<std::string> env_files;  // --env-file, repeatable
  std::string project_directory;       // --project-directory
};

// Adds the flags to `app`, storing into `options`, which must outlive parsing
// and every command that reads it. Each flag takes one value per use.
void AddProjectOptions(CLI::App& app, ProjectOptions& options);

// LoadOptions from the flags, the process environment (COMPOSE_FILE,
// COMPOSE_PROJECT_NAME, COMPOSE_PROFILES and interpolation variables come
// from it), the directory the command runs in, and the home directory (""
// lets the loader use environment["HOME"]). Pure.
compose::LoadOptions MakeLoadOptions(const ProjectOptions& options,
                                     compose::Environment environment,
                                     std::filesystem::path working_dir, std::string home_dir);

// The same from this process: `environ`, the current directory, and HOME or,
// when HOME is unset, the user's home in the password database. Fails only
// when the current directory cannot be read (it was deleted).
Result<compose::LoadOptions> LoadOptionsFromProcess(const ProjectOptions& options);

}  // namespace baton::cli
