#pragma once
// What the parts of ApplyPlan share while a plan runs: the plan and desired
// state, the pool, the task graph (so a dependant can wait for the actions
// on its dependencies), per-host limits on concurrent Docker work, and one
// serialised progress sink. Internal to runtime/apply*.cc.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <string_view>

#include "base/result.h"
#include "planner/desired_state.h"
#include "planner/plan.h"
#include "runtime/apply.h"
#include "runtime/apply_graph.h"
#include "runtime/host_pool.h"

namespace baton::runtime {

// At most this many actions do Docker work on one host at once.
inline constexpr std::ptrdiff_t kDockerCallsPerHost = 4;

// Hands ApplyOptions::on_progress one call at a time, whatever thread asks.
// Build output goes through the same lock, so a terminal never gets a
// progress line in the middle of a build line.
class ProgressReporter {
 public:
  explicit ProgressReporter(
      std::function<void(const ApplyProgress&)> sink,
      std::function<void(const std::string&, std::string_view)> build_output = {});
  void Report(size_t action, const planner::Action& a, ApplyProgress::Phase phase,
              std::string text);
  // One whole line of `service`'s build output (ApplyOptions::on_build_output).
  void BuildOutput(const std::string& service, std::string_view line);

 private:
  std::function<void(const ApplyProgress&)> sink_;
  std::function<void(const std::string&, std::string_view)> build_output_;
  std::mutex mu_;  // held while sink_ or build_output_ runs
};

// Reports an action's running text only when it differs from the last one,
// so a stream of small progress messages becomes a few lines.
class ChangeReporter {
 public:
  ChangeReporter(ProgressReporter& progress, size_t index, const planner::Action& action)
      : progress_(progress), index_(index), action_(action) {}
  void Report(std::string text);

 private:
  ProgressReporter& progress_;
  size_t index_;
  const planner::Action& action_;
  std::string last_;
};

// "pushing 40% (12.1/30.0 MiB)"; without a known total "pushing 12.1 MiB".
// The percentage stops at `max_percent`.
std::string BytesText(const std::string& verb, std::int64_t done, std::int64_t total,
                      std::int64_t max_percent);

// One counting semaphore per host name, made up front (the map is never
// changed while tasks run, so lookups need no lock).
class HostSlots {
 public:
  explicit HostSlots(const planner::Plan& plan);
  // Blocks until `host` has a free slot; the slot is freed when the guard goes.
  class Guard {
   public:
    explicit Guard(std::counting_semaphore<kDockerCallsPerHost>* slot) : slot_(slot) {}
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() {
      if (slot_ != nullptr) slot_->release();
    }

   private:
    std::counting_semaphore<kDockerCallsPerHost>* slot_;
  };
  [[nodiscard]] Guard Take(const std::string& host);

 private:
  std::map<std::string, std::unique_ptr<std::counting_semaphore<kDockerCallsPerHost>>> slots_;
};

struct ApplyContext {
  const planner::Plan& plan;
  const planner::DesiredState& desired;
  HostPool& pool;
  const ApplyOptions& options;
  const TaskGraph& graph;
  ProgressReporter& progress;
  HostSlots& slots;
  // For each failed or skipped action, the failed action it goes back to;
  // an entry is written only by its own action's thread (or by the graph
  // loop for skipped ones) before the graph marks it finished.
  std::vector<size_t>& root_failure;
};

// What an action does to what, as errors and progress name it: "create
// shop-web-2", "create network shop_default", "pull baton/busybox:lab".
std::string ActionTitle(const planner::Action& action);

// `error` placed at `host`: its `where` becomes "host HOST"; a different
// `where` (the local engine of a push) moves into the message. An empty
// `host` (an action on the local engine) leaves the error as it is.
Error AtHost(Error error, const std::string& host);

// "interrupted", kInternal: what a stopped apply reports.
Error Interrupted();

// Sleeps `duration` unless `stop` comes first; false when stopped.
bool SleepUnlessStopped(std::stop_token stop, std::chrono::milliseconds duration);

// The Docker client of the action's host.
Result<DockerClient*> HostDocker(const ApplyContext& ctx, const planner::Action& action);

// --- The steps, one per kind of action (apply_containers.cc, apply_resources.cc,
// apply_images.cc, apply_netd.cc). Each returns its error without the title or host, which
// the caller adds.
Status RunContainerAction(const ApplyContext& ctx, size_t index);
Status RunResourceAction(const ApplyContext& ctx, size_t index);
Status RunImageAction(const ApplyContext& ctx, size_t index);
Status RunNetdAction(const ApplyContext& ctx, size_t index);   // apply_netd.cc
Status RunBuildAction(const ApplyContext& ctx, size_t index);  // apply_build.cc
Status RunFilesAction(const ApplyContext& ctx, size_t index);  // apply_files.cc

// Waits until every required depends_on condition of the action's service
// holds on every replica in the placement (apply_conditions.cc). When an
// action on a dependency replica failed, returns kInternal "skipped: TITLE
// failed" and sets `*skipped_by` to that action's root failure.
Status WaitForDependencies(const ApplyContext& ctx, size_t index, size_t* skipped_by);

}  // namespace baton::runtime
