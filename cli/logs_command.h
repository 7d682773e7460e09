#pragma once
// `baton logs [-f] [--tail N] [--since T] [-t] [--no-color] [--no-log-prefix]
// [SERVICE...]`: the logs of the project's containers on every host, merged
// into one output as `docker compose logs` shows them, each line prefixed
// "web-2@lab1 | " in its service's colour (on a terminal, unless --no-color
// or NO_COLOR). Without -f the lines of all containers are in time order;
// with -f they come as they are written, containers that start later join,
// and Ctrl-C ends it. A container's stderr goes to stderr.
//
// Works with only -p when there is no compose file. Each unreachable host
// is named on stderr ("baton: host lab3 unreachable: ..."), never silently
// left out. Exit 0, or 1 on an error or when a host or a container's log
// could not be read (the output is then incomplete).

#include <memory>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddLogsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                    std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
