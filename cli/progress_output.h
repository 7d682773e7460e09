#pragma once
// Live progress of runtime::ApplyPlan for `up`, `down`, `start`, ...: one
// line per action as it starts, finishes or fails, and running updates
// ("waiting for db healthy", "pulling 40%") when their text changes, at
// most once a second per action:
//   lab1: create shop-web-2 ...
//   lab1: create shop-web-2: waiting for db healthy
//   lab1: create shop-web-2: done
//   lab2: pull image baton/busybox:lab: failed: 404 Not Found: ...

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>

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
  std::mutex mutex_;
  std::map<size_t, Shown> shown_;  // GUARDED_BY(mutex_): last running text per action
  int done_ = 0;                   // GUARDED_BY(mutex_)
  int failed_ = 0;                 // GUARDED_BY(mutex_)
};

}  // namespace baton::cli
