#include "cli/rollback_command.h"

#include <cstdio>
#include <utility>

#include "cli/exit_status.h"
#include "cli/plan_command.h"
#include "cli/record_context.h"
#include "cli/rolling_update.h"
#include "cli/scale_command.h"
#include "planner/rolling_update.h"

namespace baton::cli {
namespace {

// The project as it is with `service` on its earlier spec: the context
// loaded from that record, which is not written yet.
Result<planner::DesiredRecord> LoadRolledBack(DeployContext& context, const std::string& service) {
  if (Status read = ReadDesiredRecord(context); !read.ok()) return read.error();
  if (!context.record)
    return Error::NotFound("", "project " + context.desired.project +
                                   " has no desired state on the hosts; run `baton up` first");
  auto rolled = planner::RolledBackRecord(context.record->record, service);
  if (!rolled.ok()) return rolled.error();
  runtime::StoredRecord stored;
  stored.record = *rolled;
  if (Status loaded = LoadFromRecord(context, std::move(stored)); !loaded.ok())
    return loaded.error();
  return rolled;
}

Result<PlannedUp> PlanRollback(DeployContext& context, const planner::DesiredRecord& rolled) {
  auto planned = PlanUp(context, UpFlags{});
  if (!planned.ok()) return planned.error();
  planned->plan = WithoutStoppedServices(std::move(planned->plan), rolled.stopped);
  if (Status reachable = CheckReachable(planned->actual, "rollback",
                                        "bring them back or take them out of the hosts file");
      !reachable.ok())
    return reachable.error();
  PrintNotes(planned->plan);
  if (!planned->plan.errors.empty()) return PlanErrors(planned->plan);
  if (!planned->plan.unplaced.empty()) return UnplacedError(planned->plan);
  return planned;
}

int RunRollback(const ProjectOptions& project, const HostOptions& hosts,
                const std::string& service) {
  auto context = OpenDeployContextOrName(project, hosts);
  if (!context.ok()) return Fail(context.error());
  auto lock = LockProject(*context);
  if (!lock.ok()) return Fail(lock.error());
  int code = RollBackLocked(*context, service, ApplySettings{});
  if (auto released = lock->Release(); !released.ok() && code == 0) return Fail(released.error());
  return code;
}

}  // namespace

int RollBackLocked(DeployContext& context, const std::string& service,
                   const ApplySettings& settings) {
  auto rolled = LoadRolledBack(context, service);
  if (!rolled.ok()) return Fail(rolled.error());
  auto planned = PlanRollback(context, *rolled);
  if (!planned.ok()) return Fail(planned.error());
  planner::DesiredRecord record =
      RecordWithPlacement(context, *rolled, planned->placement, planned->actual);
  if (Status written = WriteDesiredRecord(context, std::move(record)); !written.ok())
    return Fail(written.error());
  planner::RollingUpdate update = planner::PlanRollingUpdate(
      planned->plan, context.desired, planned->actual, planned->placement, /*rollback=*/true);
  if (!update.rest.empty())
    if (Status applied = ApplyWithProgress(context, update.rest, settings); !applied.ok())
      return Fail(applied.error());
  auto results = RollServices(context, update, settings);
  if (!results.ok()) return Fail(results.error());
  int replaced = 0;
  for (size_t i = 0; i < results->size(); ++i) {
    const RollResult& result = (*results)[i];
    if (result.end != RollEnd::kDone)
      return Fail(Error::Invalid("", DescribeRollEnd(result, update.rolls[i].size())));
    replaced += result.updated;
  }
  std::printf("%s: rolled back, %d %s replaced\n", service.c_str(), replaced,
              replaced == 1 ? "replica" : "replicas");
  return 0;
}

void AddRollbackCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                        std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command = app.add_subcommand(
      "rollback", "Return a service to its spec before the last up that changed it");
  command->fallthrough();
  auto service = std::make_shared<std::string>();
  command->add_option("service", *service, "The service to roll back")->required();
  command->callback([project, hosts, service, &run] {
    run = [=] { return RunRollback(*project, *hosts, *service); };
  });
}

}  // namespace baton::cli
