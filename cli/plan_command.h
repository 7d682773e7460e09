#pragma once
// `baton plan`: what `up` would do, per host, without doing it. Exits 0
// when every wanted replica has a host (with or without changes), 1 when
// one cannot be placed, the plan has errors (Plan::errors: no free cluster
// subnet) or on any error ("baton: <error>" on stderr).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/command.h"
#include "cli/deploy_context.h"
#include "cli/host_options.h"
#include "cli/project_options.h"
#include "planner/actual_state.h"
#include "planner/placement.h"
#include "planner/plan.h"

namespace baton::cli {

// The flags `plan` and `up` share.
struct UpFlags {
  std::vector<std::string> services;  // SERVICE...: these and their dependencies
  bool push = false;                  // --push
  std::string pull = "missing";       // --pull always|missing|never
  bool keep_orphans = false;          // --keep-orphans: leave services gone from the file
};

struct PlannedUp {
  planner::ActualState actual;
  planner::Placement placement;
  planner::Plan plan;
};

// Prepares netd (PrepareNetdDeployment), observes the project on the
// context's hosts, places its replicas and plans `up`. kNotFound for a
// SERVICE the project does not have: `no such service "x"`. With --pull
// never the plan pulls nothing.
Result<PlannedUp> PlanUp(DeployContext& context, const UpFlags& flags);

// Each unreachable host's error text, by host name.
std::map<std::string, std::string> HostErrors(const planner::ActualState& actual);

// Adds `--push`, `--pull` and `--keep-orphans` to `command`.
void AddUpFlags(CLI::App& command, UpFlags& flags);

void AddPlanCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                    std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
