#pragma once
// What `baton ps` shows besides the engines' container facts (issue 6), and
// the pure rules that merge the two: a crash-looping replica (from the
// watcher's restart backoff, else from the engine's restart count), each
// replica's readiness as netd judges it, drained hosts and the autoscale
// state of autoscaled services. ps_gather.h reads these; ps_render.h prints.

#include <cstdint>
#include <ctime>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "planner/actual_state.h"
#include "planner/desired_record.h"
#include "planner/x_baton.h"
#include "runtime/netd/netd_status.h"

namespace baton::cli {

using ReplicaId = std::pair<std::string, int>;  // service, slot

// One replica's restart backoff as the watcher publishes it.
struct WatcherRestarts {
  int failures = 0;            // consecutive short runs
  std::time_t exit_seen = -1;  // when the watcher saw the last exit (its clock); -1 unknown
};

// The watcher's /status.json (in the lease record): the restart tracker's
// status ({"web/1":{"failures":2,"exit_seen":"..."}}), as the whole
// document or as its "restarts" member. Keys that are not "service/slot"
// and members of another type are skipped; kInvalid when it is not a JSON
// object.
Result<std::map<ReplicaId, WatcherRestarts>> ParseWatcherStatus(std::string_view json);

// netd's view of one host's replicas (`baton-netd status --json`).
struct HostReadiness {
  bool known = false;  // false: netd absent, old, or not answering ("?")
  std::map<std::string, netd::ReplicaStatus> by_container;  // by container name
};

struct DrainNote {
  std::string by;
  std::string since;  // RFC 3339; "" when the marker could not be read
};

struct AutoscaleNote {
  std::string service;
  planner::AutoscalePolicy policy;
  int replicas = 0;    // in effect, from the record (else the file)
  std::string reason;  // the last decision, "cpu 93% > 50% for 30s: 1->2"; "" none
};

struct PsExtras {
  bool watcher = false;  // a watcher's status was read
  std::map<ReplicaId, WatcherRestarts> restarts;
  std::set<std::string> readiness_services;                   // services with x-baton.readiness
  std::map<std::string, HostReadiness> readiness;             // by host
  std::map<std::string, DrainNote> drained;                   // by host
  std::vector<AutoscaleNote> autoscaled;                      // by service
  std::map<std::string, std::vector<std::string>> log_tails;  // by container id
};

// A replica that keeps crashing: not running, and either the watcher counts
// two or more short runs, or the engine restarted it at least
// kEngineLoopRestarts times and its last exit is under 10 minutes old.
struct CrashLoop {
  int64_t exit_code = 0;
  int restarts = 0;
  bool by_watcher = false;  // the watcher's count, else the engine's
  // Seconds until the next restart (0: due now); nullopt when not known.
  std::optional<int64_t> next_in;
};
inline constexpr int kEngineLoopRestarts = 3;

std::optional<CrashLoop> JudgeCrashLoop(const planner::ActualContainer& c,
                                        const WatcherRestarts* watcher, std::time_t now);

// The STATE column: "running", "exited (0)", or for a crash loop
// "crash-looping (exit 3, 5 restarts, next in 16s)".
std::string StateText(const planner::ActualContainer& c, const std::optional<CrashLoop>& loop);

// The READY column: "-" without x-baton.readiness, "?" when netd cannot
// tell, else "yes" or "no"; with why it is out of DNS ("" when in).
struct Readiness {
  std::string column;
  std::optional<bool> in_dns;  // nullopt when netd cannot tell
  std::string reason;
};
Readiness ReadinessOf(const planner::ActualContainer& c, const std::string& host,
                      const PsExtras& extras);

// "web: autoscaled 1..3 at cpu 50%: 2 replicas (cpu 93% > 50% for 30s: 1->2)".
std::string AutoscaleText(const AutoscaleNote& note);
// "lab2  drained since 2026-11-29T05:07:13Z by alice@laptop pid 4".
std::string DrainText(const std::string& host, const DrainNote& note);

// Seconds since the epoch of an RFC 3339 time (base/rfc3339.h); -1 when
// unreadable, before 1970 or Docker's zero time ("never").
std::time_t ParseTimestamp(const std::string& text);

// The last `lines` lines of a container's log, from the stdout and stderr of
// a read with timestamps (each line "RFC3339 text"), merged in time order,
// without the timestamps.
std::vector<std::string> LastLogLines(const std::string& out, const std::string& err, size_t lines);

}  // namespace baton::cli
