#pragma once
// Restart supervision of crash loops (issue 6, design 3.3), pure. The engine
// restarts a crashed replica first (it is fast and survives a lost watcher);
// the watcher takes over at the second short run: it sets the engine's
// policy to "no", stops the replica, and from then on starts it itself after
// a growing delay (1 s, 2 s, 4 s ... 5 min). Ten minutes of healthy running
// reset the count and give the policy back to the engine.
//
// Every decision is judged from the facts of one observation plus what this
// tracker saw before (when it first saw each exit), so a repeated or missed
// tick costs nothing. Times are wall-clock (system_clock) of the watcher's
// own machine, never the engine's, so that status.json can carry them to a
// new lease holder; the engine's StartedAt/FinishedAt only tell runs apart
// and measure a run's length (both from the same engine clock).

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "base/result.h"

namespace baton::planner {

struct ActualContainer;

using WallClock = std::chrono::system_clock;

// A replica by its place in the project: a recreated replica keeps its key.
struct ReplicaKey {
  std::string service;
  int slot = 0;
  auto operator<=>(const ReplicaKey&) const = default;
  std::string ToString() const;  // "web/2"
};

// One observation of a replica, from inspect (ActualContainer) and the watcher.
struct ReplicaRun {
  std::string state;  // the engine's: "running", "restarting", "exited", "created", ...
  int64_t exit_code = 0;
  std::optional<WallClock::time_point> started_at;   // engine clock; none if never started
  std::optional<WallClock::time_point> finished_at;  // engine clock; none if never exited
  int64_t restart_count = 0;  // the engine's; a start through the API resets it to 0
  std::string engine_policy;  // HostConfig.RestartPolicy.Name now: "", "no", "always", ...
  // The compose policy as written (label baton.restart): "", "no", "always",
  // "on-failure", "on-failure:N", "unless-stopped". "" means "no" (compose's
  // default), except on a replica made before the label existed whose
  // engine policy restarts: then the engine's policy is the intended one.
  std::string intended_policy;
  std::string health;  // "", "starting", "healthy", "unhealthy"
  // A `stop` event, or the service is stopped in the record: never restarted.
  bool stopped_by_user = false;
};

// The facts of `c` (RFC 3339 times parsed; unparsable ones count as absent).
ReplicaRun RunFromActual(const ActualContainer& c, bool stopped_by_user);

enum class RestartVerdict {
  kLeave,     // running fine, or not to be restarted: nothing to do
  kEngine,    // the engine is restarting it (first short run): leave it to the engine
  kTakeOver,  // second short run: UpdateRestartPolicy(id, "no"), then stop with grace 0
              // (a replica without baton.restart gets kReplace instead: recreated
              // with the label, so its policy is not lost)
  kStartAt,   // start it (POST start) once `at` has passed
  kReplace,   // unhealthy: recreate it on the same host and slot, once `at` has passed
  kGiveUp,    // on-failure:N has used its N restarts: leave it exited, report it
  kRestore,   // ten healthy minutes (or a clean exit): UpdateRestartPolicy(id, policy)
};

std::string VerdictName(RestartVerdict verdict);  // "leave", "engine", "take-over", ...

struct RestartDecision {
  RestartVerdict verdict = RestartVerdict::kLeave;
  WallClock::time_point at{};  // kStartAt, kReplace: when; the watcher wakes then
  int failures = 0;            // consecutive short runs, after this observation
  // kRestore (and kTakeOver, whose policy is "no"): the engine policy to set.
  std::string policy_name;  // "always", "on-failure", "unless-stopped", "no"
  int max_retry = 0;        // on-failure:N
  // For the log, events and `ps`: "exit 3, 2 short runs: restart in 1s".
  std::string reason;
};

// 0 for 0 or 1 failures (the first restart is immediate), then 1 s, 2 s,
// 4 s ..., capped at 300 s.
std::chrono::seconds BackoffDelay(int failures);

// A run shorter than this is a failure; running this long healthy resets.
inline constexpr std::chrono::minutes kShortRun{10};

// One per watched project; the watcher's thread only.
class RestartTracker {
 public:
  // Judges one replica from one observation at `now` and remembers what it
  // needs (the exits it counted, when it saw them, when the current run was
  // first seen).
  RestartDecision Judge(const ReplicaKey& key, const ReplicaRun& run, WallClock::time_point now);
  // Forgets replicas that are gone (scaled down, service removed).
  void Forget(const ReplicaKey& key);
  int failures(const ReplicaKey& key) const;

  // The backoff state as JSON for the lease's status.json:
  // {"web/1":{"failures":2,"exit_seen":"2026-11-29T05:07:13Z",...}}.
  nlohmann::json ToStatus() const;
  // Resumes from ToStatus()'s output; kInvalid on another shape (the tracker is unchanged).
  Status FromStatus(const nlohmann::json& status);

  // What the tracker remembers of one replica. Engine times tell runs apart.
  struct Memory {
    int failures = 0;
    WallClock::time_point counted_exit{};   // finished_at of the last exit counted
    int64_t counted_restarts = 0;           // the engine's RestartCount then
    WallClock::time_point run_started{};    // started_at of the run we follow
    WallClock::time_point run_seen{};       // our clock: when we first saw that run
    WallClock::time_point exit_seen{};      // our clock: when we first saw the last exit
    WallClock::time_point stopped_run{};    // started_at of the run we stopped ourselves
    WallClock::time_point unhealthy_run{};  // started_at of the run counted as unhealthy
    WallClock::time_point unhealthy_seen{};
  };

 private:
  std::map<ReplicaKey, Memory> memory_;
};

}  // namespace baton::planner
