#pragma once
// The list of baton's commands. Each Add*Command lives in its own file.

#include "cli/command.h"

namespace baton::cli {

// Adds every command to `app`.
void AddAllCommands(CLI::App& app, Runner& run);

}  // namespace baton::cli
