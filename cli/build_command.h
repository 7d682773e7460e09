#pragma once
// `baton build [SERVICE...] [--build-local] [--no-cache]`: builds the images
// of the services with `build:` and puts them on the hosts that run (or
// would run) their replicas, without touching a container: the image-only
// part of `up`'s plan (planner::UpOptions::images_only), applied under the
// project's deploy lock. An image whose digest tag a host already has is
// neither built nor pushed ("nothing to build"), unless --no-cache: then it
// is built again without the engine's cache and pushed to every host that
// runs it. Exit 0 on success, 1 on any error ("baton: <error>"), 130 when
// Ctrl-C stopped it.

#include <memory>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddBuildCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
