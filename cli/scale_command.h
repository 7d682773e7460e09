#pragma once
// `baton scale SERVICE=N...` (issue 6): sets replica counts in the
// project's desired-state record and converges the hosts to it, under the
// deploy lock: read the record (or, with a compose file and no record yet,
// the file), set the counts, plan as `up` does, write the record with the
// plan's placement, apply. A count set so survives `up` while the compose
// file's own count for the service does not change. Works without a
// compose file when -p names a project that has a record. Exit 0 on
// success, 1 on any error, 130 when Ctrl-C stopped it.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"
#include "planner/desired_record.h"
#include "planner/desired_state.h"
#include "planner/plan.h"

namespace baton::cli {

constexpr int kMaxScale = 256;

struct ScaleRequest {
  std::string service;
  int replicas = 0;
  bool operator==(const ScaleRequest&) const = default;
};

// "web=5" -> {web, 5}, in the order given. kInvalid, `where` empty:
// `invalid argument "web": use SERVICE=COUNT, as in web=3`;
// `invalid count in "web=300": use a whole number from 0 to 256`;
// `web is given twice`.
Result<std::vector<ScaleRequest>> ParseScaleArguments(const std::vector<std::string>& arguments);

// Whether each service may be scaled: kNotFound `no such service "x"`;
// kInvalid "db is a global service (one replica per host); it cannot be
// scaled" and "web is autoscaled (min 2, max 10); change
// x-baton.autoscale in the compose file".
Status CheckScaleRequests(const planner::DesiredState& desired,
                          const std::vector<ScaleRequest>& requests);

// Sets each requested count in `scale` (the record's: set by kScale, with
// reason "baton scale web=5 by <writer>", the file's count kept) and in
// `desired`. A service `scale` lacks gets its file count from `desired`.
void ApplyScaleRequests(const std::vector<ScaleRequest>& requests, const std::string& writer,
                        std::map<std::string, planner::ServiceScale>& scale,
                        planner::DesiredState& desired);

// `plan` without the actions that would run a replica of a service the
// record keeps stopped (`baton stop`): its starts, creates and recreates
// (both start the new container). Its scale-down removals stay. Adds a note
// "web is stopped (baton stop): its count is recorded and no replica
// started; `baton up web` starts them" for each such service with a dropped
// action.
planner::Plan WithoutStoppedServices(planner::Plan plan, const std::vector<std::string>& stopped);

void AddScaleCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
