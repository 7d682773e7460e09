#include "cli/commands.h"

#include <CLI/CLI.hpp>

#include "cli/hosts_command.h"
#include "cli/lab_command.h"

namespace baton::cli {

void AddAllCommands(CLI::App& app, Runner& run) {
  (void)app;
  (void)run;
  AddLabCommand(app, run);
  AddHostsCommand(app, run);
}

}  // namespace baton::cli
