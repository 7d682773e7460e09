#pragma once
// `up`'s rolling updates (issue 7): replaces the running replicas of a
// changed service batch by batch (planner/rolling_update.h) so that the
// service keeps answering.
//
// The record's `held` slots keep each old replica in DNS while it serves.
// Stop-first: the batch's slots leave `held` (netd takes the old replicas
// out of DNS on every host), then, after the DNS answers they were given
// have expired, they are stopped with their stop_grace_period and replaced.
// Start-first: the old replica is renamed aside and keeps serving while the
// new one starts under its name; once the new one is updated, the slot
// leaves `held` and the old one stops the same way. A new replica joins DNS
// only when netd finds it ready; it counts as updated per JudgeNewReplica.

#include <string>
#include <vector>

#include "base/result.h"
#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "planner/rolling_update.h"

namespace baton::cli {

enum class RollEnd {
  kDone,      // every batch ran (failures within max_failure_ratio, or `continue`)
  kPaused,    // failure_action pause: the remaining replicas keep the old spec
  kRollback,  // failure_action rollback: the caller returns the service to its previous spec
};

struct RollResult {
  std::string service;
  bool rollback = false;  // the roll returned the service to its earlier spec
  int updated = 0;
  std::vector<std::string> failures;  // "shop-web-2 on lab1: unhealthy"
  RollEnd end = RollEnd::kDone;
};

// Rolls `update.rolls` one service after the other (the rest of the plan
// has been applied), printing each service's strategy and each replica's
// outcome on stderr. context.record must be the record `up` just wrote, with
// the old replicas held. Stops at the first service that pauses or asks for
// a rollback. Errors: an apply's, a record write's, "interrupted".
Result<std::vector<RollResult>> RollServices(DeployContext& context,
                                             const planner::RollingUpdate& update,
                                             const ApplySettings& settings);

// The lines for a roll that did not finish: "web: update paused after 1 of 4
// replicas failed" ("rollback paused", "update rolls back"), then one
// indented line per failure ("  shop-web-1 on lab1: unhealthy").
std::string DescribeRollEnd(const RollResult& result, int total);

}  // namespace baton::cli
