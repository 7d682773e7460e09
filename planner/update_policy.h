#pragma once
// How `up` replaces the replicas of a changed service (issue 7), pure:
// deploy.update_config (or rollback_config, for a rollback) with the
// defaults compose-spec and Swarm document, the batches it gives, when
// start-first must fall back to stop-first on a host, and what a batch's
// failures mean.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "compose/model.h"
#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "planner/placement.h"

namespace baton::planner {

enum class UpdateOrder { kStopFirst, kStartFirst };
enum class FailureAction { kPause, kContinue, kRollback };

struct UpdatePolicy {
  int parallelism = 1;                // replicas replaced at once; 0 = all of them
  std::chrono::nanoseconds delay{0};  // between two batches
  UpdateOrder order = UpdateOrder::kStopFirst;
  // How long a new replica is watched after it starts: one without a
  // healthcheck counts as updated only after running this long.
  std::chrono::nanoseconds monitor{std::chrono::seconds(5)};
  FailureAction failure_action = FailureAction::kPause;
  double max_failure_ratio = 0;  // failures tolerated, as a share of the replicas
  bool operator==(const UpdatePolicy&) const = default;
};

// The policy of deploy.update_config or deploy.rollback_config; absent keys
// take Swarm's defaults (parallelism 1, delay 0, stop-first, monitor 5s,
// failure_action pause, max_failure_ratio 0).
UpdatePolicy UpdatePolicyOf(const std::optional<compose::UpdateConfig>& config);

// For the plan: "1 at a time, stop-first, monitor 5s, on failure pause".
std::string DescribeUpdatePolicy(const UpdatePolicy& policy);

// One replica to replace: its slot and the host it runs on.
struct UpdateSlot {
  int slot = 0;
  std::string host;
  bool operator==(const UpdateSlot&) const = default;
};

// The replicas in slot order, `parallelism` at a time (0: one batch).
std::vector<std::vector<UpdateSlot>> UpdateBatches(std::vector<UpdateSlot> slots, int parallelism);

// Why start-first cannot run on `host` for `count` replicas of `service` at
// once, or nullopt when it can. The old replicas still run while the new ones
// start, so the host needs room for `count` more of the service's
// reservations beyond what `placement` already puts there, and no published
// host port may be held by the old replica: "publishes port 8080/tcp" or
// "lab1 lacks cpus for the extra replica (need 0.5, free 0.2)".
std::optional<std::string> StartFirstBlocked(const DesiredState& desired, const ActualState& actual,
                                             const Placement& placement, const std::string& service,
                                             const std::string& host, int count);

enum class UpdateStep { kContinue, kPause, kRollback };

// After a batch: `failed` of the `done` replicas replaced so far failed
// (never became healthy, or stopped within `monitor`), out of `total`.
// Failures beyond max_failure_ratio * total trigger the failure action.
UpdateStep JudgeUpdate(int failed, int total, const UpdatePolicy& policy);

}  // namespace baton::planner
