#pragma once
// One tick of the watcher (issue 6, design 3.2), as pure functions: from the
// record, the desired state it asks for and what runs (the observation merged
// with the host monitor's view), the actions that converge them. The watcher
// (runtime/watcher.h) gathers the inputs and carries the result out:
// restart steps, then the new record generation (BEFORE any create, since
// writing it fences DNS), then the plan.
//
// Level-triggered: the result depends only on the inputs and the restart
// tracker, never on which event woke the loop, and converged inputs give an
// empty result.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/rfc3339.h"
#include "planner/actual_state.h"
#include "planner/desired_record.h"
#include "planner/desired_state.h"
#include "planner/placement.h"
#include "planner/plan.h"
#include "runtime/watch_io.h"

namespace baton::planner {
class RestartTracker;
}

namespace baton::runtime {

// The observation as the tick may use it: Down hosts unreachable, Suspect
// hosts (and hosts whose observation failed this tick) with their last known
// state and frozen. `blind` when a frozen host has no last known state yet
// (a fresh watcher): the tick must not move anything then.
struct MergedObservation {
  planner::ActualState actual;
  std::set<std::string> frozen;
  bool blind = false;
};

MergedObservation MergeObservation(const planner::ActualState& observed,
                                   const HostConditions& hosts,
                                   const std::map<std::string, planner::HostState>& last_known);

// A restart supervision step the watcher runs itself (not through a plan).
struct RestartStep {
  enum class Kind { kTakeOver, kRestore, kStart } kind = Kind::kStart;
  std::string host;
  std::string id;
  std::string service;
  int slot = 0;
  std::string policy;  // kRestore: the intended engine policy
  bool operator==(const RestartStep&) const = default;
};

struct TickInput {
  const planner::DesiredRecord* record = nullptr;
  const planner::DesiredState* desired = nullptr;
  const MergedObservation* observation = nullptr;
  WatchClock::time_point now;
  std::string written_by;  // "alice@host1 watch pid 4242"
  // The options `up` plans with: the cluster's address space and each
  // host's netd spec hash (WatchIo::PlanOptions), so that a failover target
  // on a spanned network gets its slice and netd as under `up`.
  planner::UpOptions plan_options = {};
};

struct TickResult {
  std::vector<RestartStep> restarts;
  // A new generation to write before the plan runs: the placement changed
  // (failover, a replica coming back, scale). Its generation is set by the
  // store.
  std::optional<planner::DesiredRecord> record;
  planner::Plan plan;  // filtered: no action on a frozen host, no unapproved start
  std::vector<WatchEvent> events;  // project and time set
  // The earliest due backoff restart, if one waits.
  std::optional<WatchClock::time_point> next_wake;
  bool empty() const { return restarts.empty() && !record && plan.empty(); }
};

TickResult MakeTick(const TickInput& input, planner::RestartTracker& restarts);

// Makes `plan` runnable without the project's local files (the watcher has
// none, design decision 3): a missing image is pushed from a reachable,
// unfrozen host that has it (pulls too: the lab has no registry, and a peer
// holds exactly the image the others run); a replica that needs a build, a
// copy of project files its host lacks or secrets is not created but listed
// as unplaced, "needs project files or secrets from `baton up`", and keeps
// its recorded owner (PlannedPlacement); so is one whose pushed image no
// reachable host has. What came after a dropped action goes with it.
planner::Plan WithoutLocalContent(const planner::Plan& plan, const planner::DesiredState& desired,
                                  const MergedObservation& observation);

// `placement` with the slots `portable` (a WithoutLocalContent plan made
// from it) could not create moved to its unplaced replicas, so that a plan
// made again spends nothing (network, netd, image) on a host for them.
planner::Placement WithoutPinned(const planner::Placement& placement,
                                 const planner::Plan& portable);

// The reason a replica stays where it is when it needs local content.
inline constexpr char kNeedsLocalContent[] = "needs project files or secrets from `baton up`";

// Restart backoff across lease holders: the tracker's status JSON when it
// differs from `published` (which becomes it), for the lease's /status.json;
// nullopt when unchanged.
std::optional<std::string> RestartStatusToPublish(const planner::RestartTracker& tracker,
                                                  std::string& published);
// Resumes `tracker` from a status a previous holder published; kInvalid when
// `json` is not of ToStatus's shape (the tracker is unchanged then).
Status ResumeRestartStatus(planner::RestartTracker& tracker, const std::string& json);

// `plan` without the actions `drop` selects and without every action that
// comes after a dropped one; `after` indices are renumbered.
planner::Plan DropActions(const planner::Plan& plan,
                          const std::function<bool(const planner::Action&)>& drop);

// The record placement a plan leads to: the plan's assignments, plus the
// recorded owner of each unplaced slot still wanted (a pinned replica keeps
// its owner until it can run again).
std::map<std::string, std::map<int, std::string>> PlannedPlacement(
    const planner::Plan& plan, const planner::DesiredRecord& record);

}  // namespace baton::runtime
