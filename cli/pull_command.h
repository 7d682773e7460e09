#pragma once
// `baton pull [SERVICE...]`: pulls each service's image on the hosts where
// its replicas run or, for replicas not yet running, where placement would
// put them; hosts in parallel, with progress. Services that build (with
// or without an image:) are skipped: `up` builds and pushes their images. Takes no lock: it changes no container. Exit 0
// on success, 1 on any error, 130 when Ctrl-C stopped it.

#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"
#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "planner/placement.h"
#include "planner/plan.h"

namespace baton::cli {

// One pull per (host, image) the selected services' placed replicas need,
// in the hosts' order of `actual`; `services` empty = all.
planner::Plan MakePullPlan(const planner::DesiredState& desired, const planner::ActualState& actual,
                           const planner::Placement& placement,
                           const std::vector<std::string>& services);

void AddPullCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                    std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
