#pragma once
// The reads behind `baton ps`'s issue-6 lines (ps_facts.h): the watcher's
// status from the lease record, netd's readiness status from each host (by
// exec of `/baton-netd status --json` in its container, argv only), the
// drain markers, the desired-state record's scale and the log tails of
// crash-looping replicas.

#include <ctime>

#include "cli/deploy_context.h"
#include "cli/ps_facts.h"
#include "planner/actual_state.h"
#include "runtime/docker_client.h"

namespace baton::cli {

// How many log lines ps shows of a crash-looping replica.
inline constexpr size_t kLogTailLines = 5;

// Everything ps shows besides `actual`. Never fails: what cannot be read is
// left out, so ps still lists the containers (no watcher: no backoff; netd
// absent, old or silent: READY "?"; no record: no autoscale line).
PsExtras GatherPsExtras(DeployContext& context, const planner::ActualState& actual,
                        std::time_t now);

// netd's readiness of every replica on one host, by exec of `baton-netd
// status --json` in its container `netd_id`; `known` is false when netd is
// old, silent or fails (a rolling update then goes by the engine alone).
HostReadiness ReadNetdStatus(runtime::DockerClient& docker, const std::string& netd_id);

}  // namespace baton::cli
