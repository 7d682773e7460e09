#pragma once
// `baton exec [-d] [-T] [--index N] [-e K=V] [-u USER] [-w DIR] [--privileged]
// SERVICE CMD [ARGS...]`: runs a command in replica N (default 1) of
// SERVICE, on whichever host it runs, through that host's SSH connection,
// as `docker compose exec` does. When stdin is a terminal (and -T is not
// given) the command gets a TTY: the local terminal is put in raw mode
// (restored on every way out), its size is sent at start and on each
// change. Otherwise stdin is forwarded until it ends, and the command's
// stdout and stderr come back apart.
//
// Exits with the command's exit code; 1 on an error (no such service, the
// replica does not run, its host is unreachable); 130 when a signal ended
// the session. With -d it starts the command and exits 0 at once.

#include <memory>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddExecCommand(CLI::App& app, std::shared_ptr<ProjectOptions> project,
                    std::shared_ptr<HostOptions> hosts, Runner& run);

}  // namespace baton::cli
