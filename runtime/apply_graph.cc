// TaskGraph: one loop on the caller's thread launches ready tasks and
// marks the dependants of failures as skipped; each task runs on its own
// thread and wakes the loop when it ends.

#include "runtime/apply_graph.h"

#include <thread>
#include <utility>

namespace baton::runtime {

TaskGraph::TaskGraph(std::vector<std::vector<size_t>> after)
    : after_(std::move(after)), outcomes_(after_.size(), TaskOutcome::kPending) {}

size_t TaskGraph::FirstInvalid() const {
  for (size_t i = 0; i < after_.size(); ++i)
    for (size_t prerequisite : after_[i])
      if (prerequisite >= after_.size() || prerequisite == i) return i;
  return after_.size();
}

bool TaskGraph::Finished(size_t task) const {
  TaskOutcome o = outcomes_[task];
  return o != TaskOutcome::kPending && o != TaskOutcome::kRunning;
}

bool TaskGraph::Ready(size_t task) const {
  for (size_t prerequisite : after_[task])
    if (outcomes_[prerequisite] != TaskOutcome::kOk) return false;
  return true;
}

void TaskGraph::SkipDependants(const std::function<void(size_t, size_t)>& on_skipped) {
  bool skipped_any = false;
  for (bool changed = true; changed; skipped_any |= changed) {
    changed = false;
    for (size_t i = 0; i < after_.size(); ++i) {
      if (outcomes_[i] != TaskOutcome::kPending) continue;
      for (size_t prerequisite : after_[i]) {
        TaskOutcome o = outcomes_[prerequisite];
        if (o != TaskOutcome::kFailed && o != TaskOutcome::kSkipped) continue;
        outcomes_[i] = TaskOutcome::kSkipped;
        if (on_skipped) on_skipped(i, prerequisite);
        changed = true;
        break;
      }
    }
  }
  // Tasks in WaitFinished on a skipped task must see it.
  if (skipped_any) changed_.notify_all();
}

void TaskGraph::Run(const std::function<TaskOutcome(size_t)>& run,
                    const std::function<void(size_t, size_t)>& on_skipped, std::stop_token stop) {
  std::vector<std::jthread> workers;  // joined on return, after the lock is released
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    SkipDependants(on_skipped);
    for (size_t i = 0; i < after_.size() && !stop.stop_requested(); ++i) {
      if (outcomes_[i] != TaskOutcome::kPending || !Ready(i)) continue;
      outcomes_[i] = TaskOutcome::kRunning;
      ++running_;
      workers.emplace_back([this, i, &run] {
        TaskOutcome result = run(i);
        if (result == TaskOutcome::kPending || result == TaskOutcome::kRunning)
          result = TaskOutcome::kFailed;  // a task must end; treat nonsense as failure
        {
          std::lock_guard<std::mutex> done(mu_);
          outcomes_[i] = result;
          --running_;
        }
        changed_.notify_all();
      });
    }
    // Nothing running and nothing launched: all done, stopped, or stuck on a cycle.
    if (running_ == 0) break;
    changed_.wait(lock);
  }
}

TaskOutcome TaskGraph::WaitFinished(size_t task, std::stop_token stop,
                                    std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_until(lock, stop, deadline, [&] { return Finished(task); });
  return outcomes_[task];
}

TaskOutcome TaskGraph::outcome(size_t task) const {
  std::lock_guard<std::mutex> lock(mu_);
  return outcomes_[task];
}

}  // namespace baton::runtime
