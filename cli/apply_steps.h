#pragma once
// The steps every command that changes the hosts shares (`up`, `down`,
// `start`, `stop`, `restart`, `pull`): take the deploy lock, apply a plan
// with live progress on stderr and Ctrl-C wired to its stop token, and
// report the outcome.

#include <chrono>
#include <string>

#include "base/result.h"
#include "cli/deploy_context.h"
#include "cli/exit_status.h"
#include "planner/actual_state.h"
#include "planner/plan.h"
#include "runtime/deploy_lock.h"
#include "runtime/docker_client.h"

namespace baton::cli {

// Prints "baton: warning: host lab3 is unreachable (...); <consequence>" on
// stderr for every unreachable host of `actual`.
void WarnUnreachable(const planner::ActualState& actual, const std::string& consequence);

struct ApplySettings {
  std::chrono::milliseconds wait_timeout = std::chrono::minutes(5);
  runtime::DockerClient* push_source = nullptr;
};

// Takes the project's deploy lock on the context's reachable hosts, as
// this process. Take it before observing, so that the state a plan is made
// from cannot change under it. kConflict names the holder.
Result<runtime::DeployLock> LockProject(DeployContext& context);

// Applies `plan`, printing progress on stderr; Ctrl-C stops it between
// actions (ApplyPlan's kInternal "interrupted").
Status ApplyWithProgress(DeployContext& context, const planner::Plan& plan,
                         const ApplySettings& settings);

}  // namespace baton::cli
