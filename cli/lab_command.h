#pragma once
// `baton lab up|down|status`: the test lab of Docker hosts on this machine.

#include "cli/command.h"

namespace baton::cli {

// Adds the `lab` command group to `app`.
void AddLabCommand(CLI::App& app, Runner& run);

}  // namespace baton::cli
