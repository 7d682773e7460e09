#include "cli/progress_output.h"

#include "cli/plan_output.h"

namespace baton::cli {
namespace {

using Phase = runtime::ApplyProgress::Phase;

constexpr auto kRunningInterval = std::chrono::seconds(1);
constexpr char kGreen[] = "\033[32m";
constexpr char kRed[] = "\033[31m";
constexpr char kReset[] = "\033[0m";

}  // namespace

ProgressPrinter::ProgressPrinter(std::FILE* out, const planner::Plan& plan, bool color,
                                 std::function<Clock::time_point()> now)
    : out_(out), plan_(plan), color_(color), now_(std::move(now)) {}

std::function<void(const runtime::ApplyProgress&)> ProgressPrinter::Callback() {
  return [this](const runtime::ApplyProgress& progress) { Print(progress); };
}

void ProgressPrinter::PrintBuildOutput(const std::string& service, std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  std::string text = service + " | " + std::string(line) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  std::fputs(text.c_str(), out_);
  std::fflush(out_);
}

std::function<void(const std::string&, std::string_view)> ProgressPrinter::BuildOutputCallback() {
  return [this](const std::string& service, std::string_view line) {
    PrintBuildOutput(service, line);
  };
}

void ProgressPrinter::Print(const runtime::ApplyProgress& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!ShouldShow(progress)) return;
  std::string line = Line(progress) + "\n";
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
}

// Starts and ends always show; a running update only when its text changed
// and the action's last update is a second old, so a pull's percentages do
// not flood a log file.
bool ProgressPrinter::ShouldShow(const runtime::ApplyProgress& progress) {
  if (progress.phase == Phase::kDone) ++done_;
  if (progress.phase == Phase::kFailed) ++failed_;
  if (progress.phase != Phase::kRunning) return true;
  Clock::time_point now = now_();
  auto shown = shown_.find(progress.action);
  if (shown != shown_.end() &&
      (shown->second.text == progress.text || now - shown->second.at < kRunningInterval))
    return false;
  shown_[progress.action] = {progress.text, now};
  return true;
}

std::string ProgressPrinter::Line(const runtime::ApplyProgress& progress) const {
  std::string what = progress.action < plan_.actions.size()
                         ? ActionText(plan_.actions[progress.action], copy_labels_)
                         : progress.subject;
  // "": the local engine (a build or push with --build-local).
  std::string prefix = (progress.host.empty() ? "local" : progress.host) + ": " + what;
  switch (progress.phase) {
    case Phase::kStarted:
      return prefix + " ...";
    case Phase::kRunning:
      return prefix + ": " + progress.text;
    case Phase::kDone: {
      std::string text = progress.text.empty() ? "done" : progress.text;
      return color_ ? prefix + ": " + kGreen + text + kReset : prefix + ": " + text;
    }
    case Phase::kFailed: {
      std::string text = "failed" + (progress.text.empty() ? "" : ": " + progress.text);
      return color_ ? prefix + ": " + kRed + text + kReset : prefix + ": " + text;
    }
  }
  return prefix;
}

}  // namespace baton::cli
