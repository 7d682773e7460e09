#pragma once
// The desired-state record (issue 6) as the deploy commands keep it: `up`,
// `scale`, `stop`, `start` and `down` read it under the deploy lock, change
// it, and write it back (runtime/state_store.h) before they touch a
// container, so that the watcher and every other machine see what was
// asked for. A write that reaches no majority of the hosts fails the
// command before anything changed.

#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/rfc3339.h"
#include "cli/deploy_context.h"
#include "cli/host_options.h"
#include "cli/project_options.h"
#include "planner/actual_state.h"
#include "planner/desired_record.h"
#include "planner/placement.h"
#include "planner/plan.h"

namespace baton::cli {

// Reads the project's newest record into context.record (once: a second
// call does nothing) and keeps the file's own desired state in
// context.file_desired. For a loaded context, the replica counts of
// MergeScale(file, record) go into context.desired, so a count `baton
// scale` set survives while the file's count is unchanged. A tombstone
// (`down`) counts as no record. Errors: the store's (kUnreachable when no
// host is reachable).
Status ReadDesiredRecord(DeployContext& context);

// Makes the context's project and desired state the record's
// (ProjectFromRecord, DesiredFromRecord): a project known only by name, or
// `scale` acting on what was last deployed rather than on the file.
// context.record becomes `stored`. Errors: the re-load's (a spec hash that
// differs is kInternal).
Status LoadFromRecord(DeployContext& context, runtime::StoredRecord stored);

// OpenDeployContextOrName, then the project and its desired state from the
// record on the hosts (LoadFromRecord): for `scale` and the watcher, which
// work without the compose file. kNotFound "project shop has no desired
// state on the hosts; run `baton up` first" when there is no record (or
// only a `down` tombstone).
Result<DeployContext> OpenDeployContextFromRecord(const ProjectOptions& project,
                                                  const HostOptions& hosts);

// The record `up` writes after planning: the context's project, the file's
// counts merged with the previous record's, the plan's placement and the
// observed volumes; the services in `started` leave the record's stopped
// list (up starts them).
planner::DesiredRecord RecordForUp(const DeployContext& context,
                                   const planner::Placement& placement,
                                   const planner::ActualState& actual,
                                   const std::vector<std::string>& started);

// `base` (the previous record, or MakeRecord's from the file) with a new
// placement, the replicas still running another spec held (MakeRecord), the
// observed volumes and this process as the writer.
planner::DesiredRecord RecordWithPlacement(const DeployContext& context,
                                           planner::DesiredRecord base,
                                           const planner::Placement& placement,
                                           const planner::ActualState& actual);

// Whether two records ask for the same thing: equal but for generation,
// writer, time and baton version. `up` with nothing new writes nothing.
bool SameDesired(const planner::DesiredRecord& a, const planner::DesiredRecord& b);

// Writes `record` as the project's next generation on a majority of the
// hosts and makes it context.record. Errors: the store's, unchanged
// ("desired state of shop written to 1 of 3 hosts; need 2").
Status WriteDesiredRecord(DeployContext& context, planner::DesiredRecord record);

// The names of the services an action of `plan` creates, recreates or
// starts, sorted.
std::vector<std::string> StartedServices(const planner::Plan& plan);

// This process as a record's writer ("alice@laptop pid 4242") and the time
// now in RFC 3339 (UTC).
std::string RecordWriter();

}  // namespace baton::cli
