#pragma once
// Live progress of runtime::ApplyPlan for `up`, `down`, `start`, ...: one
// line per action as it starts, finishes or fails, and running updates
// ("waiting for db healthy", "pulling 40%") when their text changes, at
// most once a second per action:
//   lab1: create shop-web-2 ...
//   lab1: create shop-web-2: waiting for db healthy
//   lab1: create shop-web-2: done
//   lab2: pull image baton/busybox:lab: failed: 404 Not Found: ...
// and a build's output, one line per line the engine sent, after the
// service's name:
//   web | Step 1/4 : FROM baton/busybox:lab

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "planner/plan.h"
#include "runtime/apply.h"

namespace baton::cli {

class ProgressPrinter {
 public:
  using Clock = std::chrono::steady_clock;
  // Writes to `out`; `plan` must outlive the printer. `now` is the clock the
  // once-a-second limit reads (tests pass a fake one).
  ProgressPrinter(std::FILE* out, const planner::Plan& plan, bool color,
                  std::function<Clock::time_point()> now = Clock::now);

  // Safe to call from any thread.
  void Print(const runtime::ApplyProgress& progress);
  // For ApplyOptions::on_progress.
  std::function<void(const runtime::ApplyProgress&)> Callback();
  // Prints "web | <line>" (the line without its line end). Safe to call
  // from any thread.
  void PrintBuildOutput(const std::string& service, std::string_view line);
  // For ApplyOptions::on_build_output.
  std::function<void(const std::string&, std::string_view)> BuildOutputCallback();
  // Copies of project files are named by their labels (CopyLabels), by digest.
  void SetCopyLabels(std::map<std::string, std::string> labels) {
    copy_labels_ = std::move(labels);
  }

  int done() const { return done_; }
  int failed() const { return failed_; }

 private:
  struct Shown {
    std::string text;
    Clock::time_point at;
  };
  std::string Line(const runtime::ApplyProgress& progress) const;
  bool ShouldShow(const runtime::ApplyProgress& progress);

  std::FILE* out_;
  const planner::Plan& plan_;
  bool color_;
  std::function<Clock::time_point()> now_;
  std::map<std::string, std::string> copy_labels_;
  std::mutex mutex_;
  std::map<size_t, Shown> shown_;  // GUARDED_BY(mutex_): last running text per action
  int done_ = 0;                   // GUARDED_BY(mutex_)
  int failed_ = 0;                 // GUARDED_BY(mutex_)
};

}  // namespace baton::cli
