#include "cli/commands.h"

#include <CLI/CLI.hpp>

namespace baton::cli {

void AddAllCommands(CLI::App& app, Runner& run) {
  (void)app;
  (void)run;
}

}  // namespace baton::cli
