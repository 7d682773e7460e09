#pragma once
// `baton config`: load the project as `docker compose config` does and print
// it in canonical form (YAML or JSON), or list its services, volumes,
// networks, profiles or images.

#include <memory>

#include "cli/command.h"
#include "cli/project_options.h"

namespace baton::cli {

// Adds the `config` subcommand to `app`. `project` holds the shared project
// flags (AddProjectOptions); it is read when the command runs. On success
// the command exits 0; on any error it prints "baton: <error>" to stderr and
// exits 1.
void AddConfigCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project, Runner& run);

}  // namespace baton::cli
