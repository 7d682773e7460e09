// ApplyPlan: runs each action of the plan as a task of the graph (after its
// `after` actions), waits for depends_on conditions outside the per-host
// slots (so waiting replicas never keep their dependencies from starting),
// and picks the error to return once everything has ended.

#include "runtime/apply.h"

#include <optional>
#include <utility>
#include <vector>

#include "runtime/apply_context.h"
#include "runtime/apply_graph.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;
using Phase = ApplyProgress::Phase;

Status RunStep(const ApplyContext& ctx, size_t index) {
  switch (ctx.plan.actions[index].kind) {
    case ActionKind::kCreateContainer:
    case ActionKind::kRecreateContainer:
    case ActionKind::kStartContainer:
    case ActionKind::kStopContainer:
    case ActionKind::kRemoveContainer:
      return RunContainerAction(ctx, index);
    case ActionKind::kPullImage:
    case ActionKind::kPushImage:
      return RunImageAction(ctx, index);
    case ActionKind::kCreateNetwork:
    case ActionKind::kCreateVolume:
    case ActionKind::kRemoveNetwork:
    case ActionKind::kRemoveVolume:
    case ActionKind::kRemoveImage:
      return RunResourceAction(ctx, index);
    case ActionKind::kCreateNetd:
    case ActionKind::kRecreateNetd:
    case ActionKind::kRemoveNetd:
      return RunNetdAction(ctx, index);
    case ActionKind::kBuildImage:
      return RunBuildAction(ctx, index);
    case ActionKind::kUploadFiles:
    case ActionKind::kRemoveFiles:
      return RunFilesAction(ctx, index);
  }
  return Error::Internal("", "unknown action");
}

// What each task left behind: its error, if it failed or was skipped.
struct Outcomes {
  std::vector<std::optional<Error>> errors;
  std::vector<char> skipped;  // failed only because another action failed (not vector<bool>:
                              // tasks write their own entries concurrently)
  std::vector<size_t> root_failure;
};

class PlanRunner {
 public:
  PlanRunner(const planner::Plan& plan, const planner::DesiredState& desired, HostPool& pool,
             const ApplyOptions& options)
      : graph_(AfterLists(plan)),
        progress_(options.on_progress, options.on_build_output),
        slots_(plan),
        outcomes_{std::vector<std::optional<Error>>(plan.actions.size()),
                  std::vector<char>(plan.actions.size()), std::vector<size_t>(plan.actions.size())},
        ctx_{plan, desired, pool, options, graph_, progress_, slots_, outcomes_.root_failure} {
    for (size_t i = 0; i < plan.actions.size(); ++i) outcomes_.root_failure[i] = i;
  }

  Status Run() {
    if (size_t bad = graph_.FirstInvalid(); bad < graph_.size())
      return Error::Invalid("", "plan action " + std::to_string(bad) + " (" +
                                    ActionTitle(ctx_.plan.actions[bad]) +
                                    ") waits for an action that does not exist or itself");
    graph_.Run([this](size_t i) { return RunTask(i); },
               [this](size_t i, size_t prerequisite) { Skip(i, prerequisite); }, ctx_.options.stop);
    return Outcome();
  }

 private:
  static std::vector<std::vector<size_t>> AfterLists(const planner::Plan& plan) {
    std::vector<std::vector<size_t>> after;
    for (const Action& a : plan.actions) after.push_back(a.after);
    return after;
  }

  TaskOutcome RunTask(size_t i) {
    const Action& action = ctx_.plan.actions[i];
    if (ctx_.options.stop.stop_requested()) return Fail(i, Interrupted(), false);
    progress_.Report(i, action, Phase::kStarted, ActionTitle(action));
    size_t skipped_by = i;
    if (Status waited = WaitForDependencies(ctx_, i, &skipped_by); !waited.ok()) {
      if (skipped_by == i) return Fail(i, AtHost(waited.error(), action.host), false);
      outcomes_.root_failure[i] = skipped_by;
      return Fail(i, AtHost(waited.error(), action.host), true);
    }
    Status done;
    {
      HostSlots::Guard slot = slots_.Take(action.host);
      if (ctx_.options.stop.stop_requested()) return Fail(i, Interrupted(), false);
      done = RunStep(ctx_, i);
    }
    if (!done.ok()) return Fail(i, AtHost(done.error(), action.host), false);
    progress_.Report(i, action, Phase::kDone, "done");
    return TaskOutcome::kOk;
  }

  TaskOutcome Fail(size_t i, Error error, bool skipped) {
    progress_.Report(i, ctx_.plan.actions[i], Phase::kFailed, error.message);
    outcomes_.skipped[i] = skipped;
    outcomes_.errors[i] = error.Within(ActionTitle(ctx_.plan.actions[i]));
    return skipped ? TaskOutcome::kSkipped : TaskOutcome::kFailed;
  }

  // Called by the graph for a task whose prerequisite failed or was skipped.
  void Skip(size_t i, size_t prerequisite) {
    size_t root = outcomes_.root_failure[prerequisite];
    outcomes_.root_failure[i] = root;
    const Action& action = ctx_.plan.actions[i];
    Error error = Error::Internal("host " + action.host,
                                  "skipped: " + ActionTitle(ctx_.plan.actions[root]) + " failed");
    progress_.Report(i, action, Phase::kFailed, error.message);
    outcomes_.skipped[i] = true;
    outcomes_.errors[i] = error.Within(ActionTitle(action));
  }

  // The first action (in plan order) that failed on its own; else the
  // first skipped one; interrupted when stopped before everything ran.
  Status Outcome() const {
    bool all_ran = true;
    for (size_t i = 0; i < graph_.size(); ++i)
      all_ran = all_ran && graph_.outcome(i) == TaskOutcome::kOk;
    if (!all_ran && ctx_.options.stop.stop_requested()) return Interrupted();
    for (bool want_skipped : {false, true})
      for (size_t i = 0; i < graph_.size(); ++i)
        if (outcomes_.errors[i] && outcomes_.skipped[i] == want_skipped)
          return *outcomes_.errors[i];
    for (size_t i = 0; i < graph_.size(); ++i)
      if (graph_.outcome(i) == TaskOutcome::kPending)
        return Error::Internal("host " + ctx_.plan.actions[i].host,
                               ActionTitle(ctx_.plan.actions[i]) +
                                   ": never ran: the actions it comes after wait for each other");
    return Status::Ok();
  }

  TaskGraph graph_;
  ProgressReporter progress_;
  HostSlots slots_;
  Outcomes outcomes_;
  ApplyContext ctx_;
};

}  // namespace

Status ApplyPlan(const planner::Plan& plan, const planner::DesiredState& desired, HostPool& pool,
                 const ApplyOptions& options) {
  PlanRunner runner(plan, desired, pool, options);
  return runner.Run();
}

}  // namespace baton::runtime
