#include "cli/up_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "cli/interrupt.h"
#include "cli/plan_command.h"
#include "cli/plan_output.h"
#include "cli/record_context.h"
#include "cli/rollback_command.h"
#include "cli/rolling_update.h"
#include "planner/rolling_update.h"
#include "runtime/log_merge.h"
#include "transport/duration.h"

namespace baton::cli {
namespace {

// Lines of each container's history shown before following.
constexpr char kFollowTail[] = "100";

struct UpCommandFlags {
  UpFlags up;
  bool detach = false;
  bool skip_unreachable = false;  // --skip-unreachable
  bool build = false;  // --build: compose's habit; up builds whatever is missing anyway
  std::string timeout;  // --timeout for depends_on waits; "" = 5 minutes
};

Result<ApplySettings> MakeSettings(const UpCommandFlags& flags) {
  ApplySettings settings;
  if (!flags.timeout.empty()) {
    auto timeout = transport::ParseDuration(flags.timeout);
    if (!timeout.ok()) return Error::Invalid("--timeout", timeout.error().message);
    settings.wait_timeout = *timeout;
  }
  return settings;
}

// compose's `up` without -d: the project's logs until Ctrl-C, which then
// leaves the containers running (compose would stop them).
int FollowLogs(DeployContext& context, const std::vector<std::string>& services) {
  std::fprintf(stderr,
               "following the logs; Ctrl-C stops following and leaves the containers "
               "running\n");
  runtime::LogSelection selection{context.desired.project, services};
  runtime::LogView view;
  view.color = UseColor(STDOUT_FILENO);
  runtime::StdioLogSink sink(stdout, stderr);
  int problems = runtime::FollowProjectLogs(context.pool, selection, view, sink, InterruptToken(),
                                            kFollowTail);
  return problems > 0 ? kExitFailed : 0;
}

// Writes the record of what this `up` deploys before anything is applied,
// so a watcher never sees replicas its record does not ask for; an `up`
// that asks for nothing new writes nothing.
Status RecordUp(DeployContext& context, const PlannedUp& planned) {
  planner::DesiredRecord record = RecordForUp(context, planned.placement, planned.actual,
                                              StartedServices(planned.plan));
  if (context.record && SameDesired(record, context.record->record)) return Status::Ok();
  return WriteDesiredRecord(context, std::move(record));
}

// The rolling part of `up`: each changed service's running replicas,
// replaced batch by batch; a paused or failed update fails the command.
int Roll(DeployContext& context, const planner::RollingUpdate& update,
         const ApplySettings& settings) {
  auto results = RollServices(context, update, settings);
  if (!results.ok()) return Fail(results.error());
  for (size_t i = 0; i < results->size(); ++i) {
    const RollResult& result = (*results)[i];
    if (result.end == RollEnd::kDone) continue;
    std::string end = DescribeRollEnd(result, update.rolls[i].size());
    if (result.end == RollEnd::kPaused)
      return Fail(Error::Invalid("", end + "\nthe other replicas keep the earlier spec; fix " +
                                         result.service + " and run `baton up`, or `baton "
                                         "rollback " + result.service + "`"));
    std::fprintf(stderr, "%s\n", end.c_str());
    if (int code = RollBackLocked(context, result.service, settings); code != 0) return code;
    return Fail(Error::Invalid("", "the update of " + result.service + " failed and was rolled back"));
  }
  return 0;
}

// Plans and applies while holding `context`'s deploy lock. The record's
// counts are merged in before planning, so a `baton scale` survives an
// `up` whose file count did not change.
int UpLocked(DeployContext& context, const UpCommandFlags& flags, ApplySettings settings) {
  if (Status read = ReadDesiredRecord(context); !read.ok()) return Fail(read.error());
  auto planned = PlanUp(context, flags.up);
  if (!planned.ok()) return Fail(planned.error());
  if (!flags.skip_unreachable) {
    if (Status reachable = CheckReachable(
            planned->actual, "up",
            "bring them back, take them out of the hosts file, or pass --skip-unreachable");
        !reachable.ok())
      return Fail(reachable.error());
  }
  WarnUnreachable(planned->actual, "deploying without it");
  const planner::Plan& plan = planned->plan;
  PrintNotes(plan);
  if (!plan.errors.empty()) return Fail(PlanErrors(plan));
  if (!plan.unplaced.empty()) return Fail(UnplacedError(plan));
  if (Status recorded = RecordUp(context, *planned); !recorded.ok()) return Fail(recorded.error());
  if (plan.empty()) {
    std::printf("nothing to change\n");
    return 0;
  }
  planner::RollingUpdate update = planner::PlanRollingUpdate(
      plan, context.desired, planned->actual, planned->placement);
  const std::string why = flags.up.build_local ? "--build-local" : "--push";
  if (update.rolls.empty())
    return ApplyAndSummarise(context, plan, settings, std::move(planned->local_engine), why);
  if (!update.rest.empty())
    if (Status applied = ApplyWithLocalEngine(context, update.rest, settings,
                                              std::move(planned->local_engine), why);
        !applied.ok())
      return Fail(applied.error());
  if (int code = Roll(context, update, settings); code != 0) return code;
  std::printf("%s\n", AppliedSummary(plan).c_str());
  return 0;
}

int RunUp(const ProjectOptions& project, const HostOptions& hosts, const UpCommandFlags& flags) {
  auto settings = MakeSettings(flags);
  if (!settings.ok()) return Fail(settings.error());
  auto context = OpenDeployContext(project, hosts);
  if (!context.ok()) return Fail(context.error());
  auto lock = LockProject(*context);
  if (!lock.ok()) return Fail(lock.error());
  int code = UpLocked(*context, flags, *settings);
  if (auto released = lock->Release(); !released.ok() && code == 0) return Fail(released.error());
  if (code != 0 || flags.detach) return code;
  return FollowLogs(*context, flags.up.services);
}

}  // namespace

void AddUpCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                  std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command = app.add_subcommand("up", "Create and start the project's containers");
  command->fallthrough();
  auto flags = std::make_shared<UpCommandFlags>();
  command->add_flag("-d,--detach", flags->detach, "Return once the plan is applied");
  command->add_flag("--skip-unreachable", flags->skip_unreachable,
                    "Deploy even when hosts are unreachable, placing their replicas elsewhere");
  command
      ->add_option("--timeout", flags->timeout,
                   "How long a depends_on condition may take, e.g. 2m (default 5m)")
      ->type_name("DURATION");
  command->add_flag("--build", flags->build,
                    "Accepted for compose's habit: up always builds images whose build "
                    "context changed");
  AddUpFlags(*command, flags->up);
  command->callback(
      [project, hosts, flags, &run] { run = [=] { return RunUp(*project, *hosts, *flags); }; });
}

}  // namespace baton::cli
