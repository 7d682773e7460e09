#pragma once
// baton scale SERVICE=N...: sets replica counts in the desired state and converges (issue 6)

#include <memory>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddScaleCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
