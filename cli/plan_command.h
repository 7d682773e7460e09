#pragma once
// `baton plan`: what `up` would do, per host, without doing it. Exits 0
// when every wanted replica has a host (with or without changes), 1 when
// one cannot be placed, the plan has errors (Plan::errors: no free cluster
// subnet, a missing build context or secret file) or on any error
// ("baton: <error>" on stderr).

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
#include "runtime/docker_client.h"

namespace baton::cli {

// The flags `plan` and `up` share.
struct UpFlags {
  std::vector<std::string> services;  // SERVICE...: these and their dependencies
  bool push = false;                  // --push
  std::string pull = "missing";       // --pull always|missing|never
  bool keep_orphans = false;          // --keep-orphans: leave services gone from the file
  bool build_local = false;           // --build-local: build on the local engine
  bool images_only = false;           // `baton build`: only builds and pushes
  bool no_cache = false;              // `baton build --no-cache`: build again though present
};

struct PlannedUp {
  planner::ActualState actual;
  planner::Placement placement;
  planner::Plan plan;
  // The local engine, connected for --build-local (whose images the plan
  // counted); null otherwise.
  std::unique_ptr<runtime::DockerClient> local_engine;
};

// Prepares netd (PrepareNetdDeployment), observes the project on the
// context's hosts, places its replicas and plans `up`. kNotFound for a
// SERVICE the project does not have: `no such service "x"`. With --pull
// never the plan pulls nothing. With --build-local the local engine is
// connected (an error when it cannot be) and the built images it holds
// count. With no_cache every built image counts as missing everywhere, so
// it is built again and pushed to each host that runs it. The local
// content's errors and notes join the plan's.
Result<PlannedUp> PlanUp(DeployContext& context, const UpFlags& flags);

// Each unreachable host's error text, by host name.
std::map<std::string, std::string> HostErrors(const planner::ActualState& actual);

// Adds `--push`, `--pull`, `--keep-orphans` and `--build-local` to `command`.
void AddUpFlags(CLI::App& command, UpFlags& flags);

void AddPlanCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                    std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
