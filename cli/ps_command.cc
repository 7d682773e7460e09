#include "cli/ps_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "cli/ps_gather.h"
#include "cli/ps_render.h"
#include "runtime/observe.h"

namespace baton::cli {
namespace {

planner::ActualState Observe(DeployContext& context) {
  if (context.loaded) return runtime::ObserveProject(context.desired, context.pool);
  return runtime::ObserveProjectByName(context.desired.project, context.pool);
}

int RunPs(const ProjectOptions& project, const HostOptions& hosts, const std::string& format) {
  auto context = OpenDeployContextOrName(project, hosts);
  if (!context.ok()) return Fail(context.error());
  planner::ActualState actual = Observe(*context);
  std::time_t now = std::time(nullptr);
  PsExtras extras = GatherPsExtras(*context, actual, now);
  std::string text =
      format == "json" ? RenderPsJson(actual, extras, now) : RenderPs(actual, extras, now);
  std::fputs(text.c_str(), stdout);
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) return kExitFailed;
  return 0;
}

}  // namespace

void AddPsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                  std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command = app.add_subcommand("ps", "List the project's containers on every host");
  command->fallthrough();
  auto format = std::make_shared<std::string>("table");
  command->add_option("--format", *format, "Output format: table (default) or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->type_name("FORMAT");
  command->callback(
      [project, hosts, format, &run] { run = [=] { return RunPs(*project, *hosts, *format); }; });
}

}  // namespace baton::cli
