#include "cli/down_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <utility>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "cli/plan_output.h"
#include "cli/record_context.h"
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

// Writes a tombstone over the project's record (when it has one) before
// anything is removed, so a watcher stops keeping it up. The old record's
// project and counts stay in it; its placement goes.
Status WriteTombstone(DeployContext& context, std::optional<runtime::StoredRecord>& stored) {
  auto read = runtime::ReadDesiredState(context.pool, context.desired.project);
  // No host reachable: nothing to mark, and nothing will be removed either.
  if (!read.ok() && read.error().kind == Error::Kind::kUnreachable) return Status::Ok();
  if (!read.ok()) return read.error();
  stored = std::move(*read);
  if (!stored || stored->record.removed) return Status::Ok();
  planner::DesiredRecord tombstone = stored->record;
  tombstone.removed = true;
  tombstone.placement.clear();
  tombstone.written_by = RecordWriter();
  tombstone.written_at = NowRfc3339();
  return WriteDesiredRecord(context, std::move(tombstone));
}

// The tombstone goes only once every host saw the project go: a host that
// missed `down` could otherwise bring it back to a watcher.
Status RemoveRecord(DeployContext& context, const std::optional<runtime::StoredRecord>& stored,
                    bool every_host_reached) {
  if (!stored || !every_host_reached) return Status::Ok();
  return runtime::RemoveDesiredState(context.pool, context.desired.project);
}

int DownLocked(DeployContext& context, const planner::DownOptions& options) {
  std::optional<runtime::StoredRecord> stored;
  if (Status written = WriteTombstone(context, stored); !written.ok()) return Fail(written.error());
  planner::ActualState actual = Observe(context);
  WarnUnreachable(actual, "what it holds of the project is left in place");
  planner::Plan plan = planner::MakeDownPlan(context.desired, actual, options);
  if (!plan.empty()) {
    if (auto applied = ApplyWithProgress(context, plan, {}); !applied.ok())
      return Fail(applied.error());
  }
  std::printf("%s\n", plan.empty() ? "nothing to remove" : AppliedSummary(plan).c_str());
  std::string unreachable = UnreachableNames(actual);
  if (Status removed = RemoveRecord(context, stored, unreachable.empty()); !removed.ok())
    return Fail(removed.error());
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
