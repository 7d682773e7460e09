#pragma once
// baton watch: the daemon that keeps the hosts equal to the desired state (issue 6)

#include <memory>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddWatchCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
