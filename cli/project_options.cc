#include "cli/project_options.h"

#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cstring>
#include <system_error>

extern char** environ;

namespace baton::cli {

namespace {

// Every variable of this process. Should a name appear twice, the first
// wins, as it does for getenv().
compose::Environment ProcessEnvironment() {
  compose::Environment environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const char* equals = std::strchr(*entry, '=');
    if (equals == nullptr) continue;
    environment.emplace(std::string(*entry, static_cast<size_t>(equals - *entry)), equals + 1);
  }
  return environment;
}

// HOME when set; otherwise the password database entry, as a shell would.
std::string HomeDirectory(const compose::Environment& environment) {
  if (auto home = environment.find("HOME"); home != environment.end()) return home->second;
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buffer(size > 0 ? static_cast<size_t>(size) : 16384, '\0');
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found) {
    return found->pw_dir;
  }
  return "";
}

}  // namespace

void AddProjectOptions(CLI::App& app, ProjectOptions& options) {
  // allow_extra_args(false): one value per -f, so `-f a.yaml config` never
  // takes the command name for a second file.
  app.add_option("-f,--file", options.files, "Compose configuration file (repeatable)")
      ->allow_extra_args(false)
      ->type_name("FILE");
  app.add_option("-p,--project-name", options.project_name, "Project name")->type_name("NAME");
  app.add_option("--profile", options.profiles, "Enable a profile (repeatable)")
      ->allow_extra_args(false)
      ->type_name("PROFILE");
  app.add_option("--env-file", options.env_files, "Environment file for interpolation (repeatable)")
      ->allow_extra_args(false)
      ->type_name("FILE");
  app.add_option("--project-directory", options.project_directory,
                 "Project directory (default: the directory of the first compose file)")
      ->type_name("DIR");
}

compose::LoadOptions MakeLoadOptions(const ProjectOptions& options,
                                     compose::Environment environment,
                                     std::filesystem::path working_dir, std::string home_dir) {
  compose::LoadOptions load;
  load.files = options.files;
  load.project_directory = options.project_directory;
  load.project_name = options.project_name;
  load.profiles = options.profiles;
  load.env_files = options.env_files;
  load.working_dir = std::move(working_dir);
  load.environment = std::move(environment);
  load.home_dir = std::move(home_dir);
  return load;
}

Result<compose::LoadOptions> LoadOptionsFromProcess(const ProjectOptions& options) {
  std::error_code error;
  std::filesystem::path working_dir = std::filesystem::current_path(error);
  if (error) {
    return Error::NotFound("", "cannot read the current directory: " + error.message());
  }
  compose::Environment environment = ProcessEnvironment();
  std::string home = HomeDirectory(environment);
  return MakeLoadOptions(options, std::move(environment), std::move(working_dir), std::move(home));
}

}  // namespace baton::cli
