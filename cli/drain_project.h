#pragma once
// One project's part of `baton hosts drain` (cli/drain_command.h): the
// graceful move of its replicas off the drained host.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/deploy_context.h"
#include "planner/drain_moves.h"
#include "runtime/deploy_lock.h"
#include "runtime/host_pool.h"
#include "transport/host_selection.h"

namespace baton::cli {

// A project whose deploy lock this process holds, to be drained. The lock
// is taken before the host is marked, so that a running `baton watch`,
// which pauses while the lock exists, never sees the mark first and moves
// the project's replicas itself, without waiting for the new ones.
struct LockedProject {
  DeployContext context;  // known by name; on the drain's pool (handles shared)
  std::optional<runtime::DeployLock> lock;  // points at context.pool: never move this
};

// Takes `project`'s deploy lock on the pool's reachable hosts. The lock's
// kConflict names its holder.
Result<std::unique_ptr<LockedProject>> LockForDrain(const transport::HostInventory& inventory,
                                                    runtime::HostPool& pool,
                                                    const std::string& project);

// Re-loads the project's desired state from its newest record, plans with
// `host` drained and the record's hints, applies the bring-up half, waits up
// to `timeout` for the new replicas, writes the record with the new
// placement, then applies the take-down half; releases the lock in the end,
// whatever happened. Returns the fate of each replica that was on `host`.
// Errors (the caller names the project): kNotFound "no desired state on the
// hosts; its replicas move at its next `baton up`", CheckOwnersSeen's, the
// plan's errors, apply's, kInvalid "new replicas failed: ..." and, on a
// timeout, kUnreachable "new replicas not ready after 1m: web 2 on lab1
// (starting); the replicas on lab2 were kept and nothing was removed".
Result<std::vector<planner::DrainFate>> DrainLockedProject(LockedProject& locked,
                                                           const std::string& host,
                                                           std::chrono::milliseconds timeout);

}  // namespace baton::cli
