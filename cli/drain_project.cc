// DrainProject, declared in drain_project.h.

#include "cli/drain_project.h"

#include <thread>
#include <utility>

#include "cli/apply_steps.h"
#include "cli/drain_command.h"
#include "cli/interrupt.h"
#include "cli/plan_command.h"
#include "cli/record_context.h"
#include "cli/scale_command.h"
#include "planner/move_phases.h"
#include "runtime/observe.h"
#include "runtime/watch_tick.h"
#include "transport/duration.h"

namespace baton::cli {
namespace {

using Clock = std::chrono::steady_clock;
using planner::DrainFate;

constexpr std::chrono::milliseconds kPollInterval{500};

// A context for one project on the already open pool: known by name, its
// desired state comes from its record (LoadFromRecord).
DeployContext ContextFor(const transport::HostInventory& inventory, runtime::HostPool& pool,
                         const std::string& project) {
  DeployContext context;
  context.loaded = false;
  context.project.name = project;
  context.desired.project = project;
  context.inventory = inventory;
  context.cluster = inventory.cluster;
  context.pool = runtime::HostPool::FromHandles(pool.hosts());
  return context;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

// Polls the project until every new replica is ready, one has failed, the
// time is up or Ctrl-C. The old replicas still serve meanwhile.
Status WaitForMoves(DeployContext& context, const std::vector<planner::MoveTarget>& targets,
                    std::chrono::milliseconds timeout, const std::string& host) {
  if (targets.empty()) return Status::Ok();
  const std::string kept = "; the replicas on " + host + " were kept and nothing was removed";
  Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    planner::ActualState actual = runtime::ObserveProject(context.desired, context.pool);
    planner::MoveProgress progress = planner::JudgeMoves(targets, actual);
    if (progress.ready()) return Status::Ok();
    if (!progress.failed.empty())
      return Error::Invalid("", "new replicas failed: " + Joined(progress.failed) + kept);
    if (Clock::now() >= deadline)
      return Error::Unreachable("", "new replicas not ready after " +
                                        transport::FormatDuration(timeout) + ": " +
                                        Joined(progress.waiting) + kept);
    if (InterruptToken().stop_requested()) return Error::Internal("", "interrupted");
    std::this_thread::sleep_for(kPollInterval);
  }
}

// The plan `scale` would make from the record, less what the drain cannot
// run without the project's files: replicas needing a build, project files
// or secrets stay where they are (unplaced, keeping their recorded owner),
// and images no registry may hold come from a peer that has them.
struct DrainPlan {
  planner::ActualState actual;
  planner::Placement placement;
  planner::Plan plan;
};

Result<DrainPlan> PlanDrain(DeployContext& context, const planner::DesiredRecord& base) {
  auto planned = PlanUp(context, UpFlags{});
  if (!planned.ok()) return planned.error();
  if (Status seen = CheckOwnersSeen(base, planned->actual); !seen.ok()) return seen.error();
  planner::Plan plan = WithoutStoppedServices(std::move(planned->plan), base.stopped);
  runtime::MergedObservation observation{planned->actual, {}, false};
  plan = runtime::WithoutLocalContent(plan, context.desired, observation);
  if (!plan.errors.empty()) return PlanErrors(plan);
  return DrainPlan{std::move(planned->actual), std::move(planned->placement), std::move(plan)};
}

// The record with the drained placement. A replica the plan left unplaced
// keeps its recorded owner, so netd keeps it in DNS where it still runs.
Status WriteDrainedRecord(DeployContext& context, const planner::DesiredRecord& base,
                          const DrainPlan& drain) {
  planner::DesiredRecord record =
      RecordWithPlacement(context, base, drain.placement, drain.actual);
  record.placement = runtime::PlannedPlacement(drain.plan, base);
  if (SameDesired(record, base)) return Status::Ok();
  return WriteDesiredRecord(context, std::move(record));
}

Result<std::vector<DrainFate>> DrainUnderLock(DeployContext& context, const std::string& host,
                                              std::chrono::milliseconds timeout) {
  auto stored = runtime::ReadDesiredState(context.pool, context.desired.project);
  if (!stored.ok()) return stored.error();
  if (!*stored || (*stored)->record.removed)
    return Error::NotFound("", "no desired state on the hosts; its replicas move at its next "
                               "`baton up`");
  planner::DesiredRecord base = (*stored)->record;
  if (Status loaded = LoadFromRecord(context, std::move(**stored)); !loaded.ok())
    return loaded.error();
  auto drain = PlanDrain(context, base);
  if (!drain.ok()) return drain.error();
  std::vector<DrainFate> fates =
      planner::DrainFates(context.desired, drain->actual, drain->plan, host);
  planner::MovePhases phases = planner::SplitMoves(drain->plan);
  if (!phases.bring_up.empty())
    if (Status up = ApplyWithProgress(context, phases.bring_up, {}); !up.ok()) return up.error();
  if (Status ready = WaitForMoves(context, planner::MoveTargets(fates), timeout, host);
      !ready.ok())
    return ready.error();
  if (Status written = WriteDrainedRecord(context, base, *drain); !written.ok())
    return written.error();
  if (!phases.take_down.empty())
    if (Status down = ApplyWithProgress(context, phases.take_down, {}); !down.ok())
      return down.error();
  return fates;
}

}  // namespace

Result<std::unique_ptr<LockedProject>> LockForDrain(const transport::HostInventory& inventory,
                                                    runtime::HostPool& pool,
                                                    const std::string& project) {
  auto locked = std::make_unique<LockedProject>();
  locked->context = ContextFor(inventory, pool, project);
  auto lock = LockProject(locked->context);
  if (!lock.ok()) return lock.error();
  locked->lock.emplace(std::move(*lock));
  return locked;
}

Result<std::vector<DrainFate>> DrainLockedProject(LockedProject& locked, const std::string& host,
                                                  std::chrono::milliseconds timeout) {
  auto fates = DrainUnderLock(locked.context, host, timeout);
  if (!locked.lock) return fates;
  Status released = locked.lock->Release();
  locked.lock.reset();
  if (!released.ok() && fates.ok()) return released.error();
  return fates;
}

}  // namespace baton::cli
