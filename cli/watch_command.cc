#include "cli/watch_command.h"

#include <CLI/CLI.hpp>

namespace baton::cli {

// Phase 0 of issue 6: registered by its owner together with its man page.
void AddWatchCommand(CLI::App&, std::shared_ptr<const ProjectOptions>,
                     std::shared_ptr<const HostOptions>, Runner&) {}

}  // namespace baton::cli
