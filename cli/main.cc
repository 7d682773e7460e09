// baton: run an existing compose.yaml across several Docker hosts.

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>

#include "cli/command.h"
#include "cli/commands.h"
#include "cli/interrupt.h"

namespace {
constexpr const char* kVersion = "0.1.0";
}

int main(int argc, char** argv) {
  // A peer that goes away (a dead SSH proxy pipe, a closed client socket) must
  // give an error value on write, not kill baton.
  std::signal(SIGPIPE, SIG_IGN);
  // Ctrl-C asks a deploy to stop between actions (baton::cli::InterruptToken)
  // instead of killing it halfway through one.
  baton::cli::InstallInterruptHandlers();
  CLI::App app{"baton: run an existing compose.yaml across several Docker hosts over SSH", "baton"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(0, 1);

  baton::cli::Runner run;
  baton::cli::AddAllCommands(app, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (!run) {
    std::cout << app.help();
    return 0;
  }
  try {
    return run();
  } catch (const std::exception& e) {
    // Commands return errors as values; reaching this is a bug, but the user
    // still gets a message and an exit code rather than an abort.
    std::fprintf(stderr, "baton: internal error: %s\n", e.what());
    return 70;
  }
}
