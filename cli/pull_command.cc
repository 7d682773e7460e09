#include "cli/pull_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "cli/plan_output.h"
#include "runtime/observe.h"

namespace baton::cli {
namespace {

bool Selected(const std::vector<std::string>& services, const std::string& name) {
  return services.empty() || std::find(services.begin(), services.end(), name) != services.end();
}

Status CheckServices(const planner::DesiredState& desired, const std::vector<std::string>& names) {
  for (const std::string& name : names)
    if (desired.FindService(name) == nullptr)
      return Error::NotFound("", "no such service \"" + name + "\"");
  return Status::Ok();
}

int RunPull(const ProjectOptions& project, const HostOptions& hosts,
            const std::vector<std::string>& services) {
  auto context = OpenDeployContext(project, hosts);
  if (!context.ok()) return Fail(context.error());
  if (auto known = CheckServices(context->desired, services); !known.ok())
    return Fail(known.error());
  planner::ActualState actual = runtime::ObserveProject(context->desired, context->pool);
  WarnUnreachable(actual, "nothing is pulled there");
  planner::Placement placement = planner::Place(context->desired, actual);
  planner::Plan plan = MakePullPlan(context->desired, actual, placement, services);
  if (plan.empty()) {
    std::printf("nothing to pull\n");
    return 0;
  }
  if (auto applied = ApplyWithProgress(*context, plan, {}); !applied.ok())
    return Fail(applied.error());
  std::printf("%s\n", AppliedSummary(plan).c_str());
  return 0;
}

}  // namespace

planner::Plan MakePullPlan(const planner::DesiredState& desired, const planner::ActualState& actual,
                           const planner::Placement& placement,
                           const std::vector<std::string>& services) {
  std::set<std::pair<std::string, std::string>> wanted;  // (host, image)
  for (const planner::Assignment& a : placement.assignments) {
    const planner::ServiceSpec* spec = desired.FindService(a.service);
    if (spec == nullptr || spec->service.image.empty() || !Selected(services, a.service)) continue;
    // A built image (its digest tag) is in no registry: `up` builds and pushes it.
    if (spec->service.build || spec->content.build) continue;
    wanted.insert({a.host, spec->service.image});
  }
  planner::Plan plan;
  plan.project = desired.project;
  for (const planner::HostState& host : actual.hosts) {
    if (!host.reachable) plan.unreachable_hosts.push_back(host.name);
    for (const auto& [where, image] : wanted) {
      if (where != host.name) continue;
      planner::Action action;
      action.kind = planner::ActionKind::kPullImage;
      action.host = host.name;
      action.name = image;
      plan.actions.push_back(std::move(action));
    }
  }
  return plan;
}

void AddPullCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                    std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command =
      app.add_subcommand("pull", "Pull the services' images on the hosts that run them");
  command->fallthrough();
  auto services = std::make_shared<std::vector<std::string>>();
  command->add_option("services", *services, "Only these services (default: all)")
      ->type_name("SERVICE");
  command->callback([project, hosts, services, &run] {
    run = [=] { return RunPull(*project, *hosts, *services); };
  });
}

}  // namespace baton::cli
