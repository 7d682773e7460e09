#pragma once
// The reconcile loop of one project (issue 6, design 3.1): wakes on events
// (coalesced to at most one tick per `min_interval`), on the periodic resync,
// when a restart backoff is due, when host health changes and when an
// autoscaling sample is due (runtime/autoscaler.h); each tick
// (runtime/watch_tick.h) re-reads the record and converges the hosts to it.
// It acts only while this process holds the project's lease, and pauses
// while the project's deploy lock exists (an `up` or `scale` is running).
//
// Threads: Run() on one thread; MarkDirty() from any thread (event
// followers, the host monitor, the lease).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>

#include "planner/actual_state.h"
#include "runtime/cpu_sampler.h"
#include "runtime/watch_io.h"
#include "runtime/watch_tick.h"

namespace baton::planner {
class RestartTracker;
}

namespace baton::runtime {

class Autoscaler;
class StatsSource;

// What one tick did, for the metrics.
struct TickReport {
  std::string trigger;  // "event", "hosts", "lease", "resync", "timer" (a backoff or sample)
  double seconds = 0;   // how long the tick took
  // Set on the tick whose plan placed a lost host's replicas elsewhere: from
  // the first tick that saw that host not answer (suspect or down) to the
  // end of this tick's apply.
  std::optional<double> failover_seconds;
};

struct WatchOptions {
  std::chrono::milliseconds resync = std::chrono::seconds(30);
  std::chrono::milliseconds min_interval = std::chrono::milliseconds(200);
  std::string written_by;  // holder name for the records it writes
  // CPU samples for autoscaling (runtime/cpu_sampler.h); outlives the
  // watcher. Null: autoscaled services only have their count clamped to
  // [min, max].
  StatsSource* stats = nullptr;
  // A replica's first cpu_warm_up gives the autoscaler no samples.
  std::chrono::milliseconds cpu_warm_up = kCpuWarmUp;
  // Called on the watcher's thread after every tick; may be empty.
  std::function<void(const TickReport&)> on_tick;
};

class Watcher {
 public:
  Watcher(WatchIo& io, std::string project, WatchOptions options);
  ~Watcher();

  // Something changed (an engine event, host health, the lease): tick soon.
  void MarkDirty(const std::string& trigger);
  // One tick now, on the caller's thread.
  void Tick();
  // Ticks until `stop` or until the project's record is a tombstone.
  void Run(std::stop_token stop);
  // The record said the project was removed (`down`).
  bool done() const { return done_; }

 private:
  bool MayAct();
  bool StillFree();
  void Converge(std::stop_token stop);
  bool Autoscale(const StoredRecord& stored, const planner::DesiredState& desired,
                 const MergedObservation& merged);
  const planner::DesiredState* DesiredFor(const StoredRecord& stored);
  MergedObservation ObserveHosts(const planner::DesiredState& desired);
  void Carry(TickResult& result, const planner::DesiredState& desired, std::stop_token stop);
  void Notify(WatchEvent event);
  void NotifyOnce(const WatchEvent& event);
  // The trigger of the tick it waited for.
  std::string WaitForWork(std::stop_token stop);

  WatchIo& io_;
  std::string project_;
  WatchOptions options_;
  std::unique_ptr<planner::RestartTracker> restarts_;
  std::string published_status_;  // the restart status last published to the lease
  std::unique_ptr<Autoscaler> autoscaler_;
  std::map<std::string, planner::HostState> last_known_;
  HostConditions last_conditions_;
  std::map<std::string, WatchClock::time_point> unwell_since_;  // hosts not Up, since when
  std::optional<double> failover_seconds_;                      // this tick's, for TickReport
  // The desired state of the record with this sha (re-loading is not free).
  std::string desired_sha_;
  std::optional<planner::DesiredState> desired_;
  // Events that would repeat every tick (pinned, crashloop, errors) are
  // logged when they first appear; this tick's and the last tick's.
  std::set<std::string> repeated_now_;
  std::set<std::string> repeated_before_;
  std::optional<WatchClock::time_point> next_wake_;
  std::chrono::steady_clock::time_point last_tick_{};
  bool paused_ = false;
  bool done_ = false;

  std::mutex mutex_;
  std::condition_variable_any wake_;
  bool dirty_ = true;  // guarded by mutex_
  std::string trigger_ = "start";  // what made it dirty first; guarded by mutex_
};

}  // namespace baton::runtime
