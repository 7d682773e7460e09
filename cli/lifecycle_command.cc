#include "cli/lifecycle_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "cli/plan_output.h"
#include "cli/record_context.h"
#include "runtime/observe.h"

namespace baton::cli {
namespace {

using planner::Action;
using planner::ActionKind;
using planner::ActualContainer;
using planner::HostState;
using planner::Plan;

enum class Verb { kStart, kStop, kRestart };

bool Selected(const std::vector<std::string>& services, const std::string& name) {
  return services.empty() || std::find(services.begin(), services.end(), name) != services.end();
}

// The plan's frame: project, unreachable hosts, and where each existing
// replica of the file's services runs.
Plan BasePlan(const planner::DesiredState& desired, const planner::ActualState& actual) {
  Plan plan;
  plan.project = desired.project;
  for (const HostState& host : actual.hosts) {
    if (!host.reachable) plan.unreachable_hosts.push_back(host.name);
    for (const ActualContainer& c : host.containers)
      if (desired.FindService(c.service) != nullptr)
        plan.placement.push_back({c.service, c.slot, host.name, c.name});
  }
  std::sort(plan.placement.begin(), plan.placement.end(), [](const auto& a, const auto& b) {
    return std::tie(a.service, a.slot, a.host) < std::tie(b.service, b.slot, b.host);
  });
  return plan;
}

Action ContainerAction(ActionKind kind, const std::string& host, const ActualContainer& c) {
  Action action;
  action.kind = kind;
  action.host = host;
  action.service = c.service;
  action.slot = c.slot;
  action.name = c.name;
  action.container_id = c.id;
  return action;
}

// Services that list `service` in their depends_on.
std::vector<std::string> Dependants(const planner::DesiredState& desired,
                                    const std::string& service) {
  std::vector<std::string> names;
  for (const planner::ServiceSpec& spec : desired.services)
    if (spec.service.depends_on.count(service) > 0) names.push_back(spec.name);
  return names;
}

// Adds the stops, dependants first: a service's stops come after the stops
// of every service that depends on it. Returns their indices.
std::vector<size_t> AddStops(Plan& plan, const planner::DesiredState& desired,
                             const planner::ActualState& actual,
                             const std::vector<std::string>& services, bool running_only) {
  std::vector<std::string> order = planner::ServiceOrder(desired);
  std::map<std::string, std::vector<size_t>> stops_of;
  std::vector<size_t> all;
  for (auto service = order.rbegin(); service != order.rend(); ++service) {
    if (!Selected(services, *service)) continue;
    std::vector<size_t> after;
    for (const std::string& dependant : Dependants(desired, *service))
      after.insert(after.end(), stops_of[dependant].begin(), stops_of[dependant].end());
    for (const HostState& host : actual.hosts)
      for (const ActualContainer& c : host.containers) {
        if (c.service != *service || (running_only && !c.running())) continue;
        Action action = ContainerAction(ActionKind::kStopContainer, host.name, c);
        action.after = after;
        stops_of[*service].push_back(plan.actions.size());
        all.push_back(plan.actions.size());
        plan.actions.push_back(std::move(action));
      }
  }
  return all;
}

// Adds the starts in depends_on order, each after `after`; the applier
// waits for the dependencies' conditions.
void AddStarts(Plan& plan, const planner::DesiredState& desired, const planner::ActualState& actual,
               const std::vector<std::string>& services, bool stopped_only,
               const std::vector<size_t>& after) {
  for (const std::string& service : planner::ServiceOrder(desired)) {
    if (!Selected(services, service)) continue;
    for (const HostState& host : actual.hosts)
      for (const ActualContainer& c : host.containers) {
        if (c.service != service || (stopped_only && c.running())) continue;
        Action action = ContainerAction(ActionKind::kStartContainer, host.name, c);
        action.after = after;
        plan.actions.push_back(std::move(action));
      }
  }
}

Status CheckServices(const planner::DesiredState& desired, const std::vector<std::string>& names) {
  for (const std::string& name : names)
    if (desired.FindService(name) == nullptr)
      return Error::NotFound("", "no such service \"" + name + "\"");
  return Status::Ok();
}

Plan MakePlan(Verb verb, const planner::DesiredState& desired, const planner::ActualState& actual,
              const std::vector<std::string>& services) {
  if (verb == Verb::kStart) return MakeStartPlan(desired, actual, services);
  if (verb == Verb::kStop) return MakeStopPlan(desired, actual, services);
  return MakeRestartPlan(desired, actual, services);
}

// Keeps the record's stopped list in step before the containers change; a
// project without a record (never `up`ed since issue 6) has nothing to keep.
Status RecordStopped(Verb verb, DeployContext& context, const std::vector<std::string>& services) {
  if (Status read = ReadDesiredRecord(context); !read.ok()) return read.error();
  if (!context.record) return Status::Ok();
  planner::DesiredRecord record = context.record->record;
  record.stopped = StoppedAfter(verb == Verb::kStop, context.desired, record.stopped, services);
  if (record.stopped == context.record->record.stopped) return Status::Ok();
  record.written_by = RecordWriter();
  record.written_at = NowRfc3339();
  return WriteDesiredRecord(context, std::move(record));
}

int LifecycleLocked(Verb verb, DeployContext& context, const std::vector<std::string>& services) {
  if (Status recorded = RecordStopped(verb, context, services); !recorded.ok())
    return Fail(recorded.error());
  planner::ActualState actual = runtime::ObserveProject(context.desired, context.pool);
  WarnUnreachable(actual, "its containers are left as they are");
  Plan plan = MakePlan(verb, context.desired, actual, services);
  if (plan.empty()) {
    std::printf("nothing to %s\n", verb == Verb::kStop ? "stop" : "start");
    return 0;
  }
  if (auto applied = ApplyWithProgress(context, plan, {}); !applied.ok())
    return Fail(applied.error());
  std::printf("%s\n", AppliedSummary(plan).c_str());
  return 0;
}

int RunLifecycle(Verb verb, const ProjectOptions& project, const HostOptions& hosts,
                 const std::vector<std::string>& services) {
  auto context = OpenDeployContext(project, hosts);
  if (!context.ok()) return Fail(context.error());
  if (auto known = CheckServices(context->desired, services); !known.ok())
    return Fail(known.error());
  auto lock = LockProject(*context);
  if (!lock.ok()) return Fail(lock.error());
  int code = LifecycleLocked(verb, *context, services);
  if (auto released = lock->Release(); !released.ok() && code == 0) return Fail(released.error());
  return code;
}

void AddVerb(CLI::App& app, const char* name, const char* help, Verb verb,
             std::shared_ptr<const ProjectOptions> project,
             std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command = app.add_subcommand(name, help);
  command->fallthrough();
  auto services = std::make_shared<std::vector<std::string>>();
  command->add_option("services", *services, "Only these services (default: all)")
      ->type_name("SERVICE");
  command->callback([verb, project, hosts, services, &run] {
    run = [=] { return RunLifecycle(verb, *project, *hosts, *services); };
  });
}

}  // namespace

Plan MakeStartPlan(const planner::DesiredState& desired, const planner::ActualState& actual,
                   const std::vector<std::string>& services) {
  Plan plan = BasePlan(desired, actual);
  AddStarts(plan, desired, actual, services, true, {});
  return plan;
}

Plan MakeStopPlan(const planner::DesiredState& desired, const planner::ActualState& actual,
                  const std::vector<std::string>& services) {
  Plan plan = BasePlan(desired, actual);
  AddStops(plan, desired, actual, services, true);
  return plan;
}

Plan MakeRestartPlan(const planner::DesiredState& desired, const planner::ActualState& actual,
                     const std::vector<std::string>& services) {
  Plan plan = BasePlan(desired, actual);
  std::vector<size_t> stops = AddStops(plan, desired, actual, services, false);
  AddStarts(plan, desired, actual, services, false, stops);
  return plan;
}

std::vector<std::string> StoppedAfter(bool stopping, const planner::DesiredState& desired,
                                      const std::vector<std::string>& stopped,
                                      const std::vector<std::string>& services) {
  std::set<std::string> result;
  for (const std::string& name : stopped)
    if (desired.FindService(name) != nullptr) result.insert(name);
  for (const planner::ServiceSpec& spec : desired.services) {
    if (!Selected(services, spec.name)) continue;
    if (stopping)
      result.insert(spec.name);
    else
      result.erase(spec.name);
  }
  return {result.begin(), result.end()};
}

void AddLifecycleCommands(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                          std::shared_ptr<const HostOptions> hosts, Runner& run) {
  AddVerb(app, "start", "Start the project's existing containers", Verb::kStart, project, hosts,
          run);
  AddVerb(app, "stop", "Stop the project's running containers", Verb::kStop, project, hosts, run);
  AddVerb(app, "restart", "Stop, then start the project's containers", Verb::kRestart, project,
          hosts, run);
}

}  // namespace baton::cli
