#include "cli/record_context.h"

#include <algorithm>
#include <ctime>
#include <set>
#include <utility>

#include "runtime/deploy_lock.h"

namespace baton::cli {
namespace {

const char kBatonVersion[] = "0.1.0";

// The counts MergeScale keeps (a `baton scale`, an autoscaler's) replace
// the file's in the state that is planned; global services have none.
void ApplyCounts(const std::map<std::string, planner::ServiceScale>& scale,
                 planner::DesiredState& desired) {
  for (planner::ServiceSpec& spec : desired.services) {
    auto it = scale.find(spec.name);
    if (it != scale.end() && !spec.global) spec.replicas = it->second.replicas;
  }
}

const planner::DesiredRecord* Previous(const DeployContext& context) {
  return context.record ? &context.record->record : nullptr;
}

planner::ContentDigests Digests(const DeployContext& context) {
  return context.content ? context.content->digests : planner::ContentDigests{};
}

}  // namespace

std::string RecordWriter() { return runtime::ThisProcessHolder(); }

Status ReadDesiredRecord(DeployContext& context) {
  if (context.record_read) return Status::Ok();
  auto stored = runtime::ReadDesiredState(context.pool, context.desired.project);
  if (!stored.ok()) return stored.error();
  context.record_read = true;
  context.file_desired = context.desired;
  if (!*stored || (*stored)->record.removed) return Status::Ok();
  context.record = std::move(**stored);
  if (context.loaded)
    ApplyCounts(planner::MergeScale(context.file_desired, Previous(context)), context.desired);
  return Status::Ok();
}

Status LoadFromRecord(DeployContext& context, runtime::StoredRecord stored) {
  auto project = planner::ProjectFromRecord(stored.record);
  if (!project.ok()) return project.error();
  auto desired = planner::DesiredFromRecord(stored.record);
  if (!desired.ok()) return desired.error();
  context.loaded = true;
  context.project = std::move(*project);
  context.desired = std::move(*desired);
  context.file_desired = context.desired;
  context.record = std::move(stored);
  context.record_read = true;
  return Status::Ok();
}

Result<DeployContext> OpenDeployContextFromRecord(const ProjectOptions& project,
                                                  const HostOptions& hosts) {
  auto context = OpenDeployContextOrName(project, hosts);
  if (!context.ok()) return context.error();
  const std::string name = context->desired.project;
  auto stored = runtime::ReadDesiredState(context->pool, name);
  if (!stored.ok()) return stored.error();
  if (!*stored || (*stored)->record.removed)
    return Error::NotFound(
        "", "project " + name + " has no desired state on the hosts; run `baton up` first");
  if (auto loaded = LoadFromRecord(*context, std::move(**stored)); !loaded.ok())
    return loaded.error();
  return context;
}

planner::DesiredRecord RecordWithPlacement(const DeployContext& context,
                                           planner::DesiredRecord base,
                                           const planner::Placement& placement,
                                           const planner::ActualState& actual) {
  // MakeRecord knows how a placement and an observation become the
  // record's; the rest of `base` (counts, stopped, the project) stays.
  planner::DesiredRecord made =
      planner::MakeRecord(context.project, context.desired, Digests(context), placement, actual,
                          &base, RecordWriter(), NowRfc3339());
  base.placement = std::move(made.placement);
  base.held = std::move(made.held);
  base.volume_hosts = std::move(made.volume_hosts);
  base.removed = false;
  base.written_by = std::move(made.written_by);
  base.written_at = std::move(made.written_at);
  base.baton_version = kBatonVersion;
  return base;
}

planner::DesiredRecord RecordForUp(const DeployContext& context,
                                   const planner::Placement& placement,
                                   const planner::ActualState& actual,
                                   const std::vector<std::string>& started) {
  const planner::DesiredRecord* previous = Previous(context);
  planner::DesiredRecord record =
      planner::MakeRecord(context.project, context.file_desired, Digests(context), placement,
                          actual, previous, RecordWriter(), NowRfc3339());
  record.scale = planner::MergeScale(context.file_desired, previous);
  record.stopped.clear();
  if (previous != nullptr) {
    for (const std::string& service : previous->stopped)
      if (!std::binary_search(started.begin(), started.end(), service) &&
          context.desired.FindService(service) != nullptr)
        record.stopped.push_back(service);
  }
  record.removed = false;
  record.baton_version = kBatonVersion;
  return record;
}

bool SameDesired(const planner::DesiredRecord& a, const planner::DesiredRecord& b) {
  auto comparable = [](planner::DesiredRecord record) {
    record.generation = 0;
    record.written_by.clear();
    record.written_at.clear();
    record.baton_version.clear();
    return planner::ToJson(record);
  };
  return comparable(a) == comparable(b);
}

Status WriteDesiredRecord(DeployContext& context, planner::DesiredRecord record) {
  auto generation = runtime::WriteDesiredState(context.pool, record);
  if (!generation.ok()) return generation.error();
  record.generation = *generation;
  runtime::StoredRecord stored;
  stored.record = std::move(record);
  context.record = std::move(stored);
  context.record_read = true;
  return Status::Ok();
}

std::vector<std::string> StartedServices(const planner::Plan& plan) {
  std::set<std::string> names;
  for (const planner::Action& action : plan.actions) {
    bool starts = action.kind == planner::ActionKind::kCreateContainer ||
                  action.kind == planner::ActionKind::kRecreateContainer ||
                  action.kind == planner::ActionKind::kStartContainer;
    if (starts) names.insert(action.service);
  }
  return {names.begin(), names.end()};
}

}  // namespace baton::cli
