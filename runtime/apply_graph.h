#pragma once
// The scheduler under ApplyPlan: tasks that each wait for a list of others.
// A task starts once all of its prerequisites finished OK, on its own thread,
// so tasks of different hosts (and independent tasks of one host) overlap;
// how many Docker calls run at once per host is the tasks' own business (see
// HostSlots in apply_context.h), because a task may spend most of its time
// waiting for other tasks. Knows nothing of Docker: tasks are indices.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <stop_token>
#include <vector>

namespace baton::runtime {

enum class TaskOutcome { kPending, kRunning, kOk, kFailed, kSkipped };

class TaskGraph {
 public:
  // `after[i]` lists the tasks task i waits for. Indices out of range, and a
  // task waiting for itself, are the caller's to refuse (see Validate).
  explicit TaskGraph(std::vector<std::vector<size_t>> after);
  TaskGraph(const TaskGraph&) = delete;
  TaskGraph& operator=(const TaskGraph&) = delete;

  // The first task whose `after` names a task that does not exist or itself;
  // size() when there is none.
  size_t FirstInvalid() const;
  size_t size() const { return after_.size(); }

  // Runs every task: `run(i)` on a thread of its own, returning kOk, kFailed
  // or kSkipped (a task may skip itself when something it waited for failed).
  // A task whose prerequisite failed or was skipped does not run:
  // `on_skipped(i, prerequisite)` is called instead (under the graph's lock:
  // it must not call back into the graph). After `stop` no task starts; Run
  // returns once the running ones finished. Tasks stuck on a cycle stay
  // kPending. Call once.
  void Run(const std::function<TaskOutcome(size_t)>& run,
           const std::function<void(size_t task, size_t prerequisite)>& on_skipped,
           std::stop_token stop);

  // Blocks until task `task` has an outcome other than pending or running,
  // `stop` is requested or `deadline` passes, and returns its outcome then.
  // Any thread may call it, also a task's.
  TaskOutcome WaitFinished(size_t task, std::stop_token stop,
                           std::chrono::steady_clock::time_point deadline) const;
  TaskOutcome outcome(size_t task) const;

 private:
  // Marks pending tasks with a failed or skipped prerequisite as skipped, in
  // index order until nothing changes. Holds mu_.
  void SkipDependants(const std::function<void(size_t, size_t)>& on_skipped);
  // True when every prerequisite of pending task `task` is OK. Holds mu_.
  bool Ready(size_t task) const;
  bool Finished(size_t task) const;  // holds mu_

  const std::vector<std::vector<size_t>> after_;
  mutable std::mutex mu_;
  mutable std::condition_variable_any changed_;
  std::vector<TaskOutcome> outcomes_;  // guarded by mu_
  size_t running_ = 0;                 // guarded by mu_
};

}  // namespace baton::runtime
