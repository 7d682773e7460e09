#pragma once
// The steps every command that changes the hosts shares (`up`, `down`,
// `start`, `stop`, `restart`, `pull`): take the deploy lock, apply a plan
// with live progress on stderr and Ctrl-C wired to its stop token, and
// report the outcome.

#include <chrono>
#include <memory>
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

// What an unreachable host holds cannot be seen, so a plan made without it
// would start its replicas again elsewhere: a second copy of each, and for a
// service with a local volume, a new empty volume. kUnreachable "cannot see
// every host, so <command> would start the replicas they run again
// elsewhere (<remedy>):" and one line per host; Ok when every host of
// `actual` is reachable. `remedy` names only what the command offers ("bring
// them back, take them out of the hosts file, or pass --skip-unreachable").
Status CheckReachable(const planner::ActualState& actual, const std::string& command,
                      const std::string& remedy);

// kInvalid "cannot place 2 replicas; nothing was changed" and one line per
// replica of plan.unplaced with its reasons.
Error UnplacedError(const planner::Plan& plan);

struct ApplySettings {
  std::chrono::milliseconds wait_timeout = std::chrono::minutes(5);
  // The local engine: pushes from "" read from it, builds on "" run on it.
  runtime::DockerClient* push_source = nullptr;
  bool no_cache = false;  // `build --no-cache`: every build ignores the engine's cache
};

// Connects to the local engine: $DOCKER_HOST when it is a unix:// address,
// else /var/run/docker.sock. `why` names the flag that needs it
// ("--push needs the local engine: ...").
Result<std::unique_ptr<runtime::DockerClient>> ConnectLocalEngine(const std::string& why);

// Whether some action reads from or builds on the local engine: a push with
// no source host, a build with no host.
bool UsesLocalEngine(const planner::Plan& plan);

// The plan's errors (Plan::errors) as one error that stops a deploy:
// "cannot deploy; nothing was changed" and one indented line each.
Error PlanErrors(const planner::Plan& plan);

// Prints each of the plan's notes on stderr: "note: ...".
void PrintNotes(const planner::Plan& plan);

// Takes the project's deploy lock on the context's reachable hosts, as
// this process. Take it before observing, so that the state a plan is made
// from cannot change under it. kConflict names the holder.
Result<runtime::DeployLock> LockProject(DeployContext& context);

// Applies `plan`, printing progress on stderr (and build output as
// "web | <line>"); Ctrl-C stops it between actions (ApplyPlan's kInternal
// "interrupted"). Builds, uploads and secrets read the context's content.
Status ApplyWithProgress(DeployContext& context, const planner::Plan& plan,
                         const ApplySettings& settings);

// Connects the local engine when the plan reads from or builds on it and
// `local` is not connected yet (`why` names the flag for the error), then
// applies the plan with progress.
Status ApplyWithLocalEngine(DeployContext& context, const planner::Plan& plan,
                            ApplySettings settings, std::unique_ptr<runtime::DockerClient> local,
                            const std::string& why);

// The end of `up` and `build`: connects the local engine when the plan
// reads from or builds on it and `local` is not connected yet (`why` names
// the flag for the error), applies the plan with progress and prints the
// summary ("3 created, 1 image built"). Returns the exit status.
int ApplyAndSummarise(DeployContext& context, const planner::Plan& plan, ApplySettings settings,
                      std::unique_ptr<runtime::DockerClient> local, const std::string& why);

}  // namespace baton::cli
