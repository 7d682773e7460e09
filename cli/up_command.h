#pragma once
// `baton up [-d] [SERVICE...]`: plan, then apply, under the project's deploy
// lock. Unreachable hosts are warned about and left out; a replica that fits
// nowhere stops `up` before anything is touched; a plan without actions
// prints "nothing to change" and touches no container. Progress goes to
// stderr, one line per action, and build output as "web | <line>"; the
// plan's notes go to stderr as "note: ...". Images of services with
// `build:` are built when their digest tag is on no host (on the first host
// that runs a replica, or with --build-local on the local engine) and
// pushed to the others; `--build` is accepted and changes nothing. Exit 0
// on success, 1 on any error
// ("baton: <error>"), 130 when Ctrl-C stopped it (a second `up` finishes).

#include <memory>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddUpCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                  std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
