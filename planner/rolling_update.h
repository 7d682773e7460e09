#pragma once
// Rolling updates (issue 7), pure: which replicas of `up`'s plan are
// replaced batch by batch instead of all at once, how (start-first or
// stop-first, per host), the small plans each step of a batch applies, and
// when a new replica counts as updated.
//
// Only a running replica whose spec changed rolls: one that is dead,
// exited or missing serves nobody, so replacing it at once loses nothing.
// The applier (cli/rolling_update.h) keeps the old replicas in DNS through
// the record's `held` slots and drops a slot from `held` just before its
// old replica stops, so netd takes it out of DNS on every host first.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "planner/placement.h"
#include "planner/plan.h"
#include "planner/update_policy.h"

namespace baton::planner {

// One running replica to replace.
struct RollSlot {
  int slot = 0;
  std::string host;
  std::string name;      // the container name, which the new replica takes
  std::string old_id;    // the running replica's container id
  std::string old_hash;  // its spec hash: held in the record until it leaves DNS
  std::string reason;    // the plan's: "environment changed"
  bool start_first = false;
  // Why start-first fell back to stop-first for this replica's batch on its
  // host ("publishes port 8080/tcp"); "" when it did not.
  std::string fallback;
  bool operator==(const RollSlot&) const = default;
};

struct ServiceRoll {
  std::string service;
  bool rollback = false;  // back to the previous spec, by rollback_config
  UpdatePolicy policy;
  std::vector<std::vector<RollSlot>> batches;  // in slot order, `parallelism` each
  int size() const;                            // replicas in all batches
};

struct RollingUpdate {
  Plan rest;                       // every other action of the plan, applied first
  std::vector<ServiceRoll> rolls;  // in ServiceOrder
};

// Cuts the recreates of running replicas out of `plan` and groups them per
// service into batches by the service's update_config (or rollback_config
// when `rollback`), deciding start-first per batch and host.
RollingUpdate PlanRollingUpdate(const Plan& plan, const DesiredState& desired,
                                const ActualState& actual, const Placement& placement,
                                bool rollback = false);

// For `plan`: "web: rolling update of 4 replicas, 1 at a time, start-first,
// monitor 5s, on failure pause" ("rollback of" for a rollback), then one line
// per fallback: "web: stop-first on lab1: publishes port 8080/tcp".
std::vector<std::string> DescribeRoll(const ServiceRoll& roll);

// The name a start-first update gives the old replica while the new one
// starts under its name: "shop-web-2-replaced".
std::string ReplacedName(const std::string& name);

// The plans of one batch's steps; each keeps `frame`'s project, placement
// and subnets (a create needs them) and holds only its own actions.
// Stop-first: recreate each replica in place (stop with its grace period,
// remove, create, start).
Plan StopFirstStep(const Plan& frame, const std::string& service,
                   const std::vector<RollSlot>& slots);
// Start-first, once each old replica was renamed to ReplacedName: create and
// start the new replicas under their names.
Plan StartNewStep(const Plan& frame, const std::string& service,
                  const std::vector<RollSlot>& slots);
// Stop and remove the old replicas, by id.
Plan RemoveOldStep(const Plan& frame, const std::string& service,
                   const std::vector<RollSlot>& slots);

// Where one new replica stands.
enum class ReplicaUpdate { kWaiting, kUpdated, kFailed };
struct ReplicaProgress {
  ReplicaUpdate state = ReplicaUpdate::kWaiting;
  std::string detail;  // "starting", "not in DNS yet", "exited with code 1", "unhealthy"
};

// `replica` is the container now holding the slot's name on its host (null
// when none is seen), `spec_hash` the one it must have, `running_for` how
// long the caller has seen it running without a restart, and `in_dns`
// netd's word on it (nullopt: the host has no netd to ask). It is updated
// once healthy, or, without a healthcheck, running for policy.monitor, and
// in DNS; failed once it exited, died, restarted or turned unhealthy.
ReplicaProgress JudgeNewReplica(const ActualContainer* replica, const std::string& spec_hash,
                                std::chrono::nanoseconds running_for, std::optional<bool> in_dns,
                                const UpdatePolicy& policy);

}  // namespace baton::planner
