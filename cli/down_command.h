#pragma once
// `baton down [-v] [--rmi]`: stop and remove every container of the project
// on every reachable host, then its networks; with -v its named volumes
// (never external ones), with --rmi the images its services use. Works with
// only -p when there is no compose file. Under the deploy lock. Exit 0 when
// all is removed; 1 on any error, and also when a host was unreachable (what
// it holds is left; a later `down` removes it).

#include <memory>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddDownCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                    std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
