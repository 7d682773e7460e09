#include "cli/commands.h"

#include <CLI/CLI.hpp>

#include <memory>

#include "cli/config_command.h"
#include "cli/hosts_command.h"
#include "cli/lab_command.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddAllCommands(CLI::App& app, Runner& run) {
  // The project flags belong to the top-level app so they may precede the
  // command; every command that loads a project shares this one copy, kept
  // alive by the commands' callbacks.
  auto project = std::make_shared<ProjectOptions>();
  AddProjectOptions(app, *project);
  AddConfigCommand(app, project, run);
  AddLabCommand(app, run);
  AddHostsCommand(app, run);
}

}  // namespace baton::cli
