#include "cli/scale_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "cli/plan_command.h"
#include "cli/record_context.h"

namespace baton::cli {
namespace {

// A count is digits only (no sign, no spaces) and at most kMaxScale.
bool ParseCount(const std::string& text, int& count) {
  if (text.empty() || text.size() > 3) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value > kMaxScale) return false;
  count = value;
  return true;
}

std::string ScaleText(const ScaleRequest& request) {
  return request.service + "=" + std::to_string(request.replicas);
}

// The record scaling starts from: the newest on the hosts, loaded into the
// context; else, for a project loaded from its compose file, the record the
// file makes (its placement is set after planning).
Result<planner::DesiredRecord> ScaleBase(DeployContext& context) {
  auto stored = runtime::ReadDesiredState(context.pool, context.desired.project);
  if (!stored.ok()) return stored.error();
  if (*stored && !(*stored)->record.removed) {
    planner::DesiredRecord base = (*stored)->record;
    if (auto loaded = LoadFromRecord(context, std::move(**stored)); !loaded.ok())
      return loaded.error();
    return base;
  }
  if (!context.loaded)
    return Error::NotFound("", "project " + context.desired.project +
                                   " has no desired state on the hosts; run `baton up` first");
  context.file_desired = context.desired;
  context.record_read = true;
  return planner::MakeRecord(
      context.project, context.desired,
      context.content ? context.content->digests : planner::ContentDigests{}, {}, {}, nullptr,
      RecordWriter(), NowRfc3339());
}

// Plans the scaled state, writes the record with the plan's placement, and
// applies; every check comes before the write, so a refusal changes nothing.
int ScaleLocked(DeployContext& context, const std::vector<ScaleRequest>& requests) {
  auto base = ScaleBase(context);
  if (!base.ok()) return Fail(base.error());
  if (Status checked = CheckScaleRequests(context.desired, requests); !checked.ok())
    return Fail(checked.error());
  ApplyScaleRequests(requests, RecordWriter(), base->scale, context.desired);
  auto planned = PlanUp(context, UpFlags{});
  if (!planned.ok()) return Fail(planned.error());
  // `up` starts stopped services; scale only counts them.
  planned->plan = WithoutStoppedServices(std::move(planned->plan), base->stopped);
  if (Status reachable = CheckReachable(planned->actual, "scale",
                                        "bring them back or take them out of the hosts file");
      !reachable.ok())
    return Fail(reachable.error());
  const planner::Plan& plan = planned->plan;
  PrintNotes(plan);
  if (!plan.errors.empty()) return Fail(PlanErrors(plan));
  if (!plan.unplaced.empty()) return Fail(UnplacedError(plan));
  planner::DesiredRecord record =
      RecordWithPlacement(context, std::move(*base), planned->placement, planned->actual);
  if (Status written = WriteDesiredRecord(context, std::move(record)); !written.ok())
    return Fail(written.error());
  if (plan.empty()) {
    std::printf("nothing to change\n");
    return 0;
  }
  return ApplyAndSummarise(context, plan, {}, std::move(planned->local_engine), "--push");
}

int RunScale(const ProjectOptions& project, const HostOptions& hosts,
             const std::vector<std::string>& arguments) {
  auto requests = ParseScaleArguments(arguments);
  if (!requests.ok()) return Fail(requests.error());
  auto context = OpenDeployContextOrName(project, hosts);
  if (!context.ok()) return Fail(context.error());
  auto lock = LockProject(*context);
  if (!lock.ok()) return Fail(lock.error());
  int code = ScaleLocked(*context, *requests);
  if (auto released = lock->Release(); !released.ok() && code == 0) return Fail(released.error());
  return code;
}

}  // namespace

Result<std::vector<ScaleRequest>> ParseScaleArguments(const std::vector<std::string>& arguments) {
  std::vector<ScaleRequest> requests;
  std::set<std::string> seen;
  for (const std::string& argument : arguments) {
    size_t equals = argument.find('=');
    if (equals == std::string::npos || equals == 0)
      return Error::Invalid("", "invalid argument \"" + argument +
                                    "\": use SERVICE=COUNT, as in web=3");
    ScaleRequest request;
    request.service = argument.substr(0, equals);
    if (!ParseCount(argument.substr(equals + 1), request.replicas))
      return Error::Invalid("", "invalid count in \"" + argument +
                                    "\": use a whole number from 0 to " +
                                    std::to_string(kMaxScale));
    if (!seen.insert(request.service).second)
      return Error::Invalid("", request.service + " is given twice");
    requests.push_back(std::move(request));
  }
  return requests;
}

Status CheckScaleRequests(const planner::DesiredState& desired,
                          const std::vector<ScaleRequest>& requests) {
  for (const ScaleRequest& request : requests) {
    const planner::ServiceSpec* spec = desired.FindService(request.service);
    if (spec == nullptr) return Error::NotFound("", "no such service \"" + request.service + "\"");
    if (spec->global)
      return Error::Invalid("", request.service +
                                    " is a global service (one replica per host); it cannot be "
                                    "scaled");
    if (spec->autoscale)
      return Error::Invalid("", request.service + " is autoscaled (min " +
                                    std::to_string(spec->autoscale->min) + ", max " +
                                    std::to_string(spec->autoscale->max) +
                                    "); change x-baton.autoscale in the compose file");
  }
  return Status::Ok();
}

void ApplyScaleRequests(const std::vector<ScaleRequest>& requests, const std::string& writer,
                        std::map<std::string, planner::ServiceScale>& scale,
                        planner::DesiredState& desired) {
  for (const ScaleRequest& request : requests) {
    planner::ServiceSpec* spec = nullptr;
    for (planner::ServiceSpec& candidate : desired.services)
      if (candidate.name == request.service) spec = &candidate;
    auto known = scale.find(request.service);
    planner::ServiceScale entry;
    entry.file_replicas = known != scale.end() ? known->second.file_replicas
                          : spec != nullptr   ? spec->replicas
                                              : request.replicas;
    entry.replicas = request.replicas;
    entry.set_by = planner::ScaleSource::kScale;
    entry.reason = "baton scale " + ScaleText(request) + " by " + writer;
    scale[request.service] = entry;
    if (spec != nullptr) spec->replicas = request.replicas;
  }
}

planner::Plan WithoutStoppedServices(planner::Plan plan, const std::vector<std::string>& stopped) {
  std::set<std::string> held;
  auto runs_stopped = [&](const planner::Action& action) {
    bool runs = action.kind == planner::ActionKind::kStartContainer ||
                action.kind == planner::ActionKind::kCreateContainer ||
                action.kind == planner::ActionKind::kRecreateContainer;
    bool is_stopped = std::find(stopped.begin(), stopped.end(), action.service) != stopped.end();
    if (runs && is_stopped) held.insert(action.service);
    return runs && is_stopped;
  };
  plan = planner::WithoutActions(std::move(plan), runs_stopped);
  for (const std::string& service : held)
    plan.notes.push_back(service + " is stopped (baton stop): its count is recorded and no " +
                         "replica started; `baton up " + service + "` starts them");
  return plan;
}

void AddScaleCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command =
      app.add_subcommand("scale", "Set services' replica counts and converge the hosts to them");
  command->fallthrough();
  auto arguments = std::make_shared<std::vector<std::string>>();
  command->add_option("counts", *arguments, "SERVICE=COUNT, as web=3 (0 to 256)")
      ->required()
      ->type_name("SERVICE=COUNT");
  command->callback([project, hosts, arguments, &run] {
    run = [=] { return RunScale(*project, *hosts, *arguments); };
  });
}

}  // namespace baton::cli
