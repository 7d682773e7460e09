#include "runtime/apply_graph.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace baton::runtime {
namespace {

using std::chrono::milliseconds;
using After = std::vector<std::vector<size_t>>;

// Records the order tasks start and end in, from any thread.
struct Trace {
  std::mutex mu;
  std::vector<std::string> events;
  void Add(std::string e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(std::move(e));
  }
  size_t IndexOf(const std::string& e) {
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i] == e) return i;
    return events.size();
  }
};

TEST_CASE("apply graph: a task starts only after its prerequisites ended",
          "[runtime][apply][graph]") {
  TaskGraph graph(After{{}, {0}, {1}});
  Trace trace;
  graph.Run(
      [&](size_t i) {
        trace.Add("start " + std::to_string(i));
        std::this_thread::sleep_for(milliseconds(20));
        trace.Add("end " + std::to_string(i));
        return TaskOutcome::kOk;
      },
      {}, {});
  CHECK(trace.events ==
        std::vector<std::string>{"start 0", "end 0", "start 1", "end 1", "start 2", "end 2"});
}

TEST_CASE("apply graph: independent tasks run at the same time", "[runtime][apply][graph]") {
  TaskGraph graph(After{{}, {}, {0, 1}});
  std::atomic<int> running{0}, most{0};
  graph.Run(
      [&](size_t) {
        int now = ++running;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(milliseconds(100));
        --running;
        return TaskOutcome::kOk;
      },
      {}, {});
  CHECK(most.load() == 2);
  for (size_t i = 0; i < 3; ++i) CHECK(graph.outcome(i) == TaskOutcome::kOk);
}

TEST_CASE("apply graph: dependants of a failure are skipped, others still run",
          "[runtime][apply][graph]") {
  // 0 fails; 1 after 0; 2 after 1; 3 independent.
  TaskGraph graph(After{{}, {0}, {1}, {}});
  std::vector<std::pair<size_t, size_t>> skips;
  std::atomic<bool> ran_other{false};
  graph.Run(
      [&](size_t i) {
        if (i == 3) ran_other = true;
        return i == 0 ? TaskOutcome::kFailed : TaskOutcome::kOk;
      },
      [&](size_t task, size_t prerequisite) { skips.emplace_back(task, prerequisite); }, {});
  CHECK(graph.outcome(0) == TaskOutcome::kFailed);
  CHECK(graph.outcome(1) == TaskOutcome::kSkipped);
  CHECK(graph.outcome(2) == TaskOutcome::kSkipped);
  CHECK(graph.outcome(3) == TaskOutcome::kOk);
  CHECK(ran_other);
  CHECK(skips == std::vector<std::pair<size_t, size_t>>{{1, 0}, {2, 1}});
}

TEST_CASE("apply graph: after a stop no task starts and running ones finish",
          "[runtime][apply][graph]") {
  TaskGraph graph(After{{}, {0}});
  std::stop_source stop;
  graph.Run(
      [&](size_t) {
        stop.request_stop();
        std::this_thread::sleep_for(milliseconds(20));
        return TaskOutcome::kOk;
      },
      {}, stop.get_token());
  CHECK(graph.outcome(0) == TaskOutcome::kOk);
  CHECK(graph.outcome(1) == TaskOutcome::kPending);
}

TEST_CASE("apply graph: tasks on a cycle stay pending", "[runtime][apply][graph]") {
  TaskGraph graph(After{{1}, {0}, {}});
  graph.Run([](size_t) { return TaskOutcome::kOk; }, {}, {});
  CHECK(graph.outcome(0) == TaskOutcome::kPending);
  CHECK(graph.outcome(1) == TaskOutcome::kPending);
  CHECK(graph.outcome(2) == TaskOutcome::kOk);
}

TEST_CASE("apply graph: an unknown or self prerequisite is found before running",
          "[runtime][apply][graph]") {
  CHECK(TaskGraph(After{{}, {0}}).FirstInvalid() == 2);
  CHECK(TaskGraph(After{{}, {5}}).FirstInvalid() == 1);
  CHECK(TaskGraph(After{{0}, {}}).FirstInvalid() == 0);
}

TEST_CASE("apply graph: a task can wait for another task it does not come after",
          "[runtime][apply][graph]") {
  // Task 0 waits (inside its run) for task 1, which sleeps a little first.
  TaskGraph graph(After{{}, {}});
  Trace trace;
  graph.Run(
      [&](size_t i) {
        if (i == 1) {
          std::this_thread::sleep_for(milliseconds(50));
          trace.Add("1 done");
          return TaskOutcome::kFailed;
        }
        TaskOutcome seen =
            graph.WaitFinished(1, {}, std::chrono::steady_clock::now() + std::chrono::seconds(5));
        trace.Add(seen == TaskOutcome::kFailed ? "0 saw 1 failed" : "0 saw something else");
        return TaskOutcome::kOk;
      },
      {}, {});
  CHECK(trace.events == std::vector<std::string>{"1 done", "0 saw 1 failed"});
}

TEST_CASE("apply graph: waiting for a task gives up at the deadline", "[runtime][apply][graph]") {
  TaskGraph graph(After{{}});
  auto start = std::chrono::steady_clock::now();
  CHECK(graph.WaitFinished(0, {}, start + milliseconds(50)) == TaskOutcome::kPending);
  CHECK(std::chrono::steady_clock::now() - start >= milliseconds(50));
}

}  // namespace
}  // namespace baton::runtime
