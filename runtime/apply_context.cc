// The small shared pieces of ApplyPlan: progress, per-host slots, titles.

#include "runtime/apply_context.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <utility>

namespace baton::runtime {

using planner::ActionKind;

ProgressReporter::ProgressReporter(
    std::function<void(const ApplyProgress&)> sink,
    std::function<void(const std::string&, std::string_view)> build_output)
    : sink_(std::move(sink)), build_output_(std::move(build_output)) {}

void ProgressReporter::Report(size_t action, const planner::Action& a, ApplyProgress::Phase phase,
                              std::string text) {
  if (!sink_) return;
  ApplyProgress p;
  p.action = action;
  p.host = a.host;
  p.subject = a.name;
  p.text = std::move(text);
  p.phase = phase;
  std::lock_guard<std::mutex> lock(mu_);
  sink_(p);
}

void ProgressReporter::BuildOutput(const std::string& service, std::string_view line) {
  if (!build_output_) return;
  std::lock_guard<std::mutex> lock(mu_);
  build_output_(service, line);
}

void ChangeReporter::Report(std::string text) {
  if (text == last_) return;
  last_ = text;
  progress_.Report(index_, action_, ApplyProgress::Phase::kRunning, std::move(text));
}

namespace {

std::string MiB(std::int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace

std::string BytesText(const std::string& verb, std::int64_t done, std::int64_t total,
                      std::int64_t max_percent) {
  if (total <= 0) return verb + " " + MiB(done) + " MiB";
  std::int64_t percent = std::min<std::int64_t>(max_percent, done * 100 / total);
  return verb + " " + std::to_string(percent) + "% (" + MiB(done) + "/" + MiB(total) + " MiB)";
}

HostSlots::HostSlots(const planner::Plan& plan) {
  for (const planner::Action& a : plan.actions)
    if (!slots_.contains(a.host))
      slots_[a.host] =
          std::make_unique<std::counting_semaphore<kDockerCallsPerHost>>(kDockerCallsPerHost);
}

HostSlots::Guard HostSlots::Take(const std::string& host) {
  auto it = slots_.find(host);
  if (it == slots_.end()) return Guard(nullptr);
  it->second->acquire();
  return Guard(it->second.get());
}

std::string ActionTitle(const planner::Action& action) {
  switch (action.kind) {
    case ActionKind::kCreateNetwork:
      return "create network " + action.name;
    case ActionKind::kCreateVolume:
      return "create volume " + action.name;
    case ActionKind::kPullImage:
      return "pull " + action.name;
    case ActionKind::kPushImage:
      return "push " + action.name;
    case ActionKind::kCreateContainer:
      return "create " + action.name;
    case ActionKind::kRecreateContainer:
      return "recreate " + action.name;
    case ActionKind::kStartContainer:
      return "start " + action.name;
    case ActionKind::kStopContainer:
      return "stop " + action.name;
    case ActionKind::kRemoveContainer:
      return "remove " + action.name;
    case ActionKind::kRemoveNetwork:
      return "remove network " + action.name;
    case ActionKind::kRemoveVolume:
      return "remove volume " + action.name;
    case ActionKind::kRemoveImage:
      return "remove image " + action.name;
    case ActionKind::kCreateNetd:
      return "create netd";
    case ActionKind::kRecreateNetd:
      return "recreate netd";
    case ActionKind::kRemoveNetd:
      return "remove netd";
    case ActionKind::kBuildImage:
      return "build " + action.name;
    case ActionKind::kUploadFiles:
      return "upload files " + action.name.substr(0, 12);
    case ActionKind::kRemoveFiles:
      return "remove files " + action.name.substr(0, 12);
  }
  return action.name;
}

Error AtHost(Error error, const std::string& host) {
  if (host.empty()) return error;  // the local engine: its client names itself
  std::string where = "host " + host;
  if (!error.where.empty() && error.where != where) error.message = error.ToString();
  error.where = where;
  return error;
}

Error Interrupted() { return Error::Internal("", "interrupted"); }

bool SleepUnlessStopped(std::stop_token stop, std::chrono::milliseconds duration) {
  std::mutex mu;
  std::condition_variable_any never;
  std::unique_lock<std::mutex> lock(mu);
  // The predicate only ever turns true through the stop token.
  never.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

Result<DockerClient*> HostDocker(const ApplyContext& ctx, const planner::Action& action) {
  return ctx.pool.Docker(action.host);
}

}  // namespace baton::runtime
