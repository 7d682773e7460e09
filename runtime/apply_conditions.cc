// depends_on across hosts: before a replica of S starts, every replica of
// each service S depends on must meet its condition, wherever it runs. A
// dependency replica that this plan creates, recreates or starts is first
// waited for in the task graph (its old container must not answer for it),
// then its container is polled on its host.

#include <chrono>
#include <optional>
#include <string>

#include "runtime/apply_context.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kPollInterval{200};

bool StartsReplica(ActionKind kind) {
  return kind == ActionKind::kCreateContainer || kind == ActionKind::kRecreateContainer ||
         kind == ActionKind::kStartContainer;
}

// "healthy" in "waiting for db healthy".
std::string ConditionText(const std::string& condition) {
  if (condition == "service_healthy") return "healthy";
  if (condition == "service_completed_successfully") return "completed successfully";
  return "started";
}

bool HasExited(const ContainerState& s) {
  return !s.running && (s.status == "exited" || s.status == "dead");
}

// Whether the dependency `service`'s container state meets `condition`:
// nullopt while it may still come, an error when it never will.
Result<std::optional<bool>> Evaluate(const std::string& condition, const std::string& service,
                                     const ContainerState& s) {
  using Verdict = Result<std::optional<bool>>;
  std::string code = std::to_string(s.exit_code);
  if (condition == "service_completed_successfully") {
    if (!HasExited(s)) return Verdict(std::nullopt);
    if (s.exit_code == 0) return Verdict(true);
    return Error::Internal("", "dependency " + service + " failed with exit code " + code);
  }
  if (condition == "service_healthy") {
    if (HasExited(s))
      return Error::Internal("", "dependency " + service + " exited with code " + code);
    if (s.health == "healthy") return Verdict(true);
    if (s.health == "unhealthy")
      return Error::Internal("", "dependency " + service + " is unhealthy");
    if (s.health.empty() && s.running)
      return Error::Invalid("", "dependency " + service + " has no healthcheck");
    return Verdict(std::nullopt);
  }
  // service_started: it runs, or it ran and ended (a one-shot that was fast).
  if (s.running || HasExited(s)) return Verdict(true);
  return Verdict(std::nullopt);
}

// The plan's action that starts the replica (service, slot) on `host`, if any.
std::optional<size_t> StartingAction(const planner::Plan& plan, const planner::Assignment& r) {
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    if (StartsReplica(a.kind) && a.service == r.service && a.slot == r.slot && a.host == r.host)
      return i;
  }
  return std::nullopt;
}

struct Wait {
  const ApplyContext& ctx;
  std::string service;    // the dependency
  std::string condition;  // "service_healthy", ...
  Clock::time_point deadline;
  size_t* skipped_by;
};

// "300s", or "250ms" for a timeout that is not whole seconds.
std::string DurationText(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
  return std::to_string(d.count()) + "ms";
}

Error TimedOut(const Wait& w) {
  return Error::Unreachable("", "timed out after " + DurationText(w.ctx.options.wait_timeout) +
                                    " waiting for " + w.service + " " + ConditionText(w.condition));
}

// Waits for the plan's own action on the replica, if it has one.
Status WaitForAction(const Wait& w, const planner::Assignment& replica) {
  std::optional<size_t> action = StartingAction(w.ctx.plan, replica);
  if (!action) return Status::Ok();
  TaskOutcome outcome = w.ctx.graph.WaitFinished(*action, w.ctx.options.stop, w.deadline);
  if (outcome == TaskOutcome::kOk) return Status::Ok();
  if (w.ctx.options.stop.stop_requested()) return Interrupted();
  if (outcome == TaskOutcome::kFailed || outcome == TaskOutcome::kSkipped) {
    size_t root = w.ctx.root_failure[*action];
    *w.skipped_by = root;
    return Error::Internal("", "skipped: " + ActionTitle(w.ctx.plan.actions[root]) + " failed");
  }
  return TimedOut(w);
}

Status WaitForReplica(const Wait& w, const planner::Assignment& replica) {
  if (Status s = WaitForAction(w, replica); !s.ok()) return s;
  Result<DockerClient*> docker = w.ctx.pool.Docker(replica.host);
  if (!docker.ok()) return AtHost(docker.error(), replica.host).Within("dependency " + w.service);
  for (;;) {
    Result<ContainerInfo> info = (*docker)->InspectContainer(replica.container_name);
    if (!info.ok()) {
      Error e = info.error();
      if (e.kind == Error::Kind::kNotFound) e.message = "no container " + replica.container_name;
      return AtHost(e, replica.host).Within("dependency " + w.service);
    }
    Result<std::optional<bool>> verdict = Evaluate(w.condition, w.service, info->state);
    if (!verdict.ok()) return verdict.error();
    if (verdict->has_value()) return Status::Ok();
    if (Clock::now() >= w.deadline) return TimedOut(w);
    if (!SleepUnlessStopped(w.ctx.options.stop, kPollInterval)) return Interrupted();
  }
}

}  // namespace

Status WaitForDependencies(const ApplyContext& ctx, size_t index, size_t* skipped_by) {
  const Action& action = ctx.plan.actions[index];
  const planner::ServiceSpec* service = ctx.desired.FindService(action.service);
  if (service == nullptr || !StartsReplica(action.kind)) return Status::Ok();
  Clock::time_point deadline = Clock::now() + ctx.options.wait_timeout;
  for (const auto& [name, depends_on] : service->service.depends_on) {
    if (!depends_on.required || ctx.desired.FindService(name) == nullptr) continue;
    for (const planner::Unplaced& u : ctx.plan.unplaced)
      if (u.service == name)
        return Error::Conflict("", "dependency " + name + " has replicas that fit on no host");
    Wait wait{ctx, name, depends_on.condition, deadline, skipped_by};
    bool reported = false;
    for (const planner::Assignment& replica : ctx.plan.placement) {
      if (replica.service != name) continue;
      if (!reported)
        ctx.progress.Report(index, action, ApplyProgress::Phase::kRunning,
                            "waiting for " + name + " " + ConditionText(depends_on.condition));
      reported = true;
      if (Status s = WaitForReplica(wait, replica); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace baton::runtime
