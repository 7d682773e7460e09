#pragma once
// `baton start|stop|restart [SERVICE...]`: on the containers that exist, on
// every reachable host in parallel, under the deploy lock. start follows the
// depends_on order (and waits for its conditions, across hosts); stop goes
// in reverse, a service after every service that depends on it; restart
// stops, then starts. Nothing is created or removed: `up` does that. Only
// the services in the compose file are touched. Exit 0 on success, 1 on any
// error, 130 when Ctrl-C stopped it.

#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"
#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "planner/plan.h"

namespace baton::cli {

// The plans, pure. `services` limits them to those services (empty = all);
// the caller checks that the names exist. Placement lists every container
// of the file's services, for the applier's depends_on waits.
// start: every container that is not running, in ServiceOrder.
planner::Plan MakeStartPlan(const planner::DesiredState& desired,
                            const planner::ActualState& actual,
                            const std::vector<std::string>& services);
// stop: every running container, each after the stops of the services that
// depend on its service.
planner::Plan MakeStopPlan(const planner::DesiredState& desired, const planner::ActualState& actual,
                           const std::vector<std::string>& services);
// restart: every container stopped as in MakeStopPlan (running or not), then
// started, each start after every stop.
planner::Plan MakeRestartPlan(const planner::DesiredState& desired,
                              const planner::ActualState& actual,
                              const std::vector<std::string>& services);

// The record's stopped services after `stop` (stopping) or `start` and
// `restart` (not) of `services` (empty = every service of `desired`):
// sorted, without duplicates, only services `desired` has.
std::vector<std::string> StoppedAfter(bool stopping, const planner::DesiredState& desired,
                                      const std::vector<std::string>& stopped,
                                      const std::vector<std::string>& services);

void AddLifecycleCommands(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                          std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
