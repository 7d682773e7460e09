#include "cli/down_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "cli/plan_output.h"
#include "runtime/observe.h"

namespace baton::cli {
namespace {

planner::ActualState Observe(DeployContext& context) {
  if (context.loaded) return runtime::ObserveProject(context.desired, context.pool);
  return runtime::ObserveProjectByName(context.desired.project, context.pool);
}

std::string UnreachableNames(const planner::ActualState& actual) {
  std::string names;
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) names += (names.empty() ? "" : ", ") + host.name;
  return names;
}

int DownLocked(DeployContext& context, const planner::DownOptions& options) {
  planner::ActualState actual = Observe(context);
  WarnUnreachable(actual, "what it holds of the project is left in place");
  planner::Plan plan = planner::MakeDownPlan(context.desired, actual, options);
  if (!plan.empty()) {
    if (auto applied = ApplyWithProgress(context, plan, {}); !applied.ok())
      return Fail(applied.error());
  }
  std::printf("%s\n", plan.empty() ? "nothing to remove" : AppliedSummary(plan).c_str());
  std::string unreachable = UnreachableNames(actual);
  if (unreachable.empty()) return 0;
  return Fail(Error::Unreachable("", "not removed from unreachable hosts: " + unreachable));
}

int RunDown(const ProjectOptions& project, const HostOptions& hosts,
            const planner::DownOptions& options) {
  auto context = OpenDeployContextOrName(project, hosts);
  if (!context.ok()) return Fail(context.error());
  auto lock = LockProject(*context);
  if (!lock.ok()) return Fail(lock.error());
  int code = DownLocked(*context, options);
  if (auto released = lock->Release(); !released.ok() && code == 0) return Fail(released.error());
  return code;
}

}  // namespace

void AddDownCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                    std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command =
      app.add_subcommand("down", "Stop and remove the project's containers and networks");
  command->fallthrough();
  auto options = std::make_shared<planner::DownOptions>();
  command->add_flag("-v,--volumes", options->volumes, "Also remove the project's named volumes");
  command->add_flag("--rmi", options->images, "Also remove the images the services use");
  command->callback([project, hosts, options, &run] {
    run = [=] { return RunDown(*project, *hosts, *options); };
  });
}

}  // namespace baton::cli
