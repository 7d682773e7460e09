// RestartTracker, declared in restart_backoff.h.
//
// The policy decides whether a replica may be restarted at all; the facts of
// the observation decide who restarts it. While the engine's policy still
// restarts, the engine is in charge (its restart takes ~100 ms); once the
// watcher set it to "no" (the replica is "taken over"), the watcher is. That
// state lives on the engine, not in the tracker, so a new lease holder sees
// it at once; the tracker remembers only exits and when it saw them.

#include "planner/restart_backoff.h"

#include <algorithm>
#include <charconv>
#include <ctime>

#include "base/rfc3339.h"
#include "planner/actual_state.h"

namespace baton::planner {
namespace {

using std::chrono::seconds;

constexpr seconds kMaxBackoff{300};

// The compose policy as the engine names it, with on-failure's count.
struct Policy {
  std::string name = "no";  // "no", "always", "on-failure", "unless-stopped"
  int max_retry = 0;        // on-failure:N; 0 = unlimited
  bool restarts() const { return name != "no"; }
};

Policy ParsePolicy(const std::string& text) {
  Policy policy;
  if (text == "always" || text == "unless-stopped") {
    policy.name = text;
  } else if (text.rfind("on-failure", 0) == 0) {
    policy.name = "on-failure";
    if (text.size() > 11 && text[10] == ':')
      std::from_chars(text.data() + 11, text.data() + text.size(), policy.max_retry);
  }
  return policy;
}

// The policy the replica should have. A replica made before baton.restart
// existed has no label: its engine policy is the one it was given.
Policy Intended(const ReplicaRun& run) {
  if (run.intended_policy.empty() && !run.engine_policy.empty() && run.engine_policy != "no")
    return ParsePolicy(run.engine_policy);
  return ParsePolicy(run.intended_policy);
}

bool EngineRestarts(const ReplicaRun& run) {
  return !run.engine_policy.empty() && run.engine_policy != "no";
}

std::string Seconds(WallClock::duration d) {
  auto s = std::chrono::duration_cast<seconds>(d).count();
  return std::to_string(std::max<int64_t>(0, s)) + "s";
}

}  // namespace

std::string ReplicaKey::ToString() const { return service + "/" + std::to_string(slot); }

ReplicaRun RunFromActual(const ActualContainer& c, bool stopped_by_user) {
  ReplicaRun run;
  run.state = c.state;
  run.exit_code = c.exit_code;
  run.started_at = ParseRfc3339(c.started_at);
  run.finished_at = ParseRfc3339(c.finished_at);
  run.restart_count = c.restart_count;
  run.engine_policy = c.restart_policy;
  run.intended_policy = c.intended_restart;
  run.health = c.health;
  run.stopped_by_user = stopped_by_user;
  return run;
}

std::string VerdictName(RestartVerdict verdict) {
  switch (verdict) {
    case RestartVerdict::kLeave:
      return "leave";
    case RestartVerdict::kEngine:
      return "engine";
    case RestartVerdict::kTakeOver:
      return "take-over";
    case RestartVerdict::kStartAt:
      return "start";
    case RestartVerdict::kReplace:
      return "replace";
    case RestartVerdict::kGiveUp:
      return "give-up";
    case RestartVerdict::kRestore:
      return "restore";
  }
  return "leave";
}

std::chrono::seconds BackoffDelay(int failures) {
  if (failures <= 1) return seconds(0);
  if (failures - 2 >= 9) return kMaxBackoff;  // 2^9 s is past the cap already
  return std::min(kMaxBackoff, seconds(int64_t{1} << (failures - 2)));
}

namespace {

bool Zero(WallClock::time_point t) { return t == WallClock::time_point{}; }

// Counts the exits this observation shows that the tracker has not counted:
// one, or as many as the engine restarted since the last count (it may have
// restarted several times between two ticks). A run of kShortRun or more
// resets the count first; the exit of a run the watcher stopped itself
// (take-over) is no failure.
void CountExits(RestartTracker::Memory& m, const ReplicaRun& run, WallClock::time_point now) {
  if (!run.finished_at || *run.finished_at <= m.counted_exit) return;
  WallClock::time_point finished = *run.finished_at;
  bool fresh = Zero(m.counted_exit);
  if (run.restart_count < m.counted_restarts) m.counted_restarts = 0;  // an API start reset it
  int64_t exits = std::max<int64_t>(1, run.restart_count - m.counted_restarts);
  m.counted_exit = finished;
  m.counted_restarts = run.restart_count;
  // A tracker that starts late (a new process without status) meets a long
  // run by its start alone; comparing our clock with the engine's is good
  // enough for a ten-minute threshold.
  if (fresh && run.state == "running" && run.started_at && now - *run.started_at >= kShortRun)
    return;
  std::optional<WallClock::time_point> began;
  if (run.started_at && *run.started_at <= finished)
    began = run.started_at;
  else if (!Zero(m.run_started) && m.run_started <= finished)
    began = m.run_started;
  if (began && *began == m.stopped_run) return;
  if (began && finished - *began >= kShortRun) m.failures = 0;
  m.failures += static_cast<int>(std::min<int64_t>(exits, 1000));
  m.exit_seen = now;
}

// Follows the current run: when we first saw it, and whether it has now run
// healthy for kShortRun by our own clock.
void TrackRun(RestartTracker::Memory& m, const ReplicaRun& run, WallClock::time_point now) {
  if (run.state != "running" || !run.started_at) return;
  if (*run.started_at != m.run_started) {
    m.run_started = *run.started_at;
    m.run_seen = now;
  }
  if (run.health != "unhealthy" && now - m.run_seen >= kShortRun) m.failures = 0;
}

RestartDecision Decide(RestartVerdict verdict, const RestartTracker::Memory& m,
                       std::string reason) {
  RestartDecision d;
  d.verdict = verdict;
  d.failures = m.failures;
  d.reason = std::move(reason);
  return d;
}

std::string Runs(const ReplicaRun& run, int failures) {
  return "exit " + std::to_string(run.exit_code) + ", " + std::to_string(failures) + " short runs";
}

// A replica without the baton.restart label (made before it existed) keeps
// its intended policy only in the engine's: setting that to "no" would lose
// it, and the replica would end as policy "no". It is replaced instead, and
// the new container carries the label.
RestartDecision TakeOver(RestartTracker::Memory& m, const ReplicaRun& run,
                         WallClock::time_point now) {
  if (run.intended_policy.empty()) {
    RestartDecision d = Decide(RestartVerdict::kReplace, m,
                               Runs(run, m.failures) + ": no restart label: replace it now");
    d.at = now;
    return d;
  }
  if (run.started_at) m.stopped_run = *run.started_at;
  RestartDecision d =
      Decide(RestartVerdict::kTakeOver, m, Runs(run, m.failures) + ": taking over from the engine");
  d.policy_name = "no";
  return d;
}

RestartDecision Restore(const RestartTracker::Memory& m, const Policy& policy, std::string reason) {
  RestartDecision d = Decide(RestartVerdict::kRestore, m, std::move(reason));
  d.policy_name = policy.name;
  d.max_retry = policy.max_retry;
  return d;
}

// Unhealthy (liveness failed): a failure once per run, then a recreate after
// the same backoff as a crash.
RestartDecision Unhealthy(RestartTracker::Memory& m, const ReplicaRun& run,
                          WallClock::time_point now) {
  if (run.started_at && *run.started_at != m.unhealthy_run) {
    m.unhealthy_run = *run.started_at;
    m.unhealthy_seen = now;
    ++m.failures;
  }
  RestartDecision d = Decide(RestartVerdict::kReplace, m, "");
  d.at = m.unhealthy_seen + BackoffDelay(m.failures);
  d.reason =
      "unhealthy, " + std::to_string(m.failures) + " short runs: replace in " + Seconds(d.at - now);
  return d;
}

RestartDecision Running(RestartTracker::Memory& m, const ReplicaRun& run, const Policy& policy,
                        WallClock::time_point now) {
  // Liveness does not depend on the restart policy: an unhealthy replica is
  // replaced whatever its policy, as the compose healthcheck asks (issue 6).
  if (run.health == "unhealthy") return Unhealthy(m, run, now);
  if (!policy.restarts()) return Decide(RestartVerdict::kLeave, m, "running");
  if (m.failures >= 2 && EngineRestarts(run)) return TakeOver(m, run, now);
  if (m.failures == 0 && run.engine_policy != policy.name)
    return Restore(m, policy, "ran healthy for 10m: restart policy back to the engine");
  return Decide(RestartVerdict::kLeave, m, "running");
}

RestartDecision Exited(RestartTracker::Memory& m, const ReplicaRun& run, const Policy& policy,
                       WallClock::time_point now) {
  if (run.stopped_by_user) return Decide(RestartVerdict::kLeave, m, "stopped");
  if (!policy.restarts()) return Decide(RestartVerdict::kLeave, m, "restart policy no");
  bool limited = policy.name == "on-failure" && policy.max_retry > 0;
  if (EngineRestarts(run)) {
    // The engine chose not to restart: on-failure's count used up, a clean
    // exit under on-failure, or a stop or kill through its API, which it
    // honours under every policy. Only unless-stopped means to honour that
    // too; under always and on-failure the record still wants it running.
    if (limited && run.exit_code != 0 && run.restart_count >= policy.max_retry)
      return Decide(RestartVerdict::kGiveUp, m, Runs(run, m.failures) + ": on-failure limit");
    if (policy.name == "unless-stopped") return Decide(RestartVerdict::kLeave, m, "stopped");
    if (policy.name == "on-failure" && run.exit_code == 0)
      return Decide(RestartVerdict::kLeave, m, "exited");
  }
  if (policy.name == "on-failure" && run.exit_code == 0)
    return Restore(m, policy, "exit 0: restart policy back to the engine");
  if (limited && m.failures > policy.max_retry)
    return Decide(RestartVerdict::kGiveUp, m, Runs(run, m.failures) + ": on-failure limit");
  RestartDecision d = Decide(RestartVerdict::kStartAt, m, "");
  d.at = m.exit_seen + BackoffDelay(m.failures);
  d.reason = Runs(run, m.failures) + ": restart in " + Seconds(d.at - now);
  return d;
}

}  // namespace

RestartDecision RestartTracker::Judge(const ReplicaKey& key, const ReplicaRun& run,
                                      WallClock::time_point now) {
  Memory& m = memory_[key];
  Policy policy = Intended(run);
  CountExits(m, run, now);
  TrackRun(m, run, now);
  if (run.state == "running") return Running(m, run, policy, now);
  if (run.state == "restarting") {
    if (!policy.restarts()) return Decide(RestartVerdict::kLeave, m, "restarting");
    if (m.failures >= 2) return TakeOver(m, run, now);
    return Decide(RestartVerdict::kEngine, m, Runs(run, m.failures) + ": the engine restarts it");
  }
  if (run.state == "exited" || run.state == "dead") return Exited(m, run, policy, now);
  return Decide(RestartVerdict::kLeave, m, run.state);
}

void RestartTracker::Forget(const ReplicaKey& key) { memory_.erase(key); }

int RestartTracker::failures(const ReplicaKey& key) const {
  auto it = memory_.find(key);
  return it == memory_.end() ? 0 : it->second.failures;
}

// Times go out as RFC 3339 so a person can read status.json; an unset time
// is left out.
nlohmann::json RestartTracker::ToStatus() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, m] : memory_) {
    nlohmann::json entry = {{"failures", m.failures}, {"counted_restarts", m.counted_restarts}};
    auto put = [&entry](const char* name, WallClock::time_point t) {
      if (!Zero(t)) entry[name] = FormatRfc3339Nanos(t);
    };
    put("counted_exit", m.counted_exit);
    put("run_started", m.run_started);
    put("run_seen", m.run_seen);
    put("exit_seen", m.exit_seen);
    put("stopped_run", m.stopped_run);
    put("unhealthy_run", m.unhealthy_run);
    put("unhealthy_seen", m.unhealthy_seen);
    out[key.ToString()] = std::move(entry);
  }
  return out;
}

namespace {

Result<ReplicaKey> ParseKey(const std::string& text) {
  size_t slash = text.rfind('/');
  int slot = 0;
  if (slash == std::string::npos || slash == 0) return Error::Invalid("", "bad replica " + text);
  auto r = std::from_chars(text.data() + slash + 1, text.data() + text.size(), slot);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || slot < 1)
    return Error::Invalid("", "bad replica " + text);
  return ReplicaKey{text.substr(0, slash), slot};
}

Result<RestartTracker::Memory> ParseMemory(const nlohmann::json& entry) {
  if (!entry.is_object()) return Error::Invalid("", "not an object");
  RestartTracker::Memory m;
  m.failures = entry.value("failures", 0);
  m.counted_restarts = entry.value("counted_restarts", int64_t{0});
  std::pair<const char*, WallClock::time_point*> times[] = {{"counted_exit", &m.counted_exit},
                                                            {"run_started", &m.run_started},
                                                            {"run_seen", &m.run_seen},
                                                            {"exit_seen", &m.exit_seen},
                                                            {"stopped_run", &m.stopped_run},
                                                            {"unhealthy_run", &m.unhealthy_run},
                                                            {"unhealthy_seen", &m.unhealthy_seen}};
  for (auto& [name, field] : times) {
    if (!entry.contains(name)) continue;
    auto t = ParseRfc3339(entry.at(name).get<std::string>());
    if (!t) return Error::Invalid("", std::string("bad time in ") + name);
    *field = *t;
  }
  return m;
}

}  // namespace

Status RestartTracker::FromStatus(const nlohmann::json& status) {
  if (!status.is_object()) return Error::Invalid("restart status", "not an object");
  std::map<ReplicaKey, Memory> read;
  try {
    for (const auto& [name, entry] : status.items()) {
      auto key = ParseKey(name);
      if (!key.ok()) return Error::Invalid("restart status", key.error().message);
      auto m = ParseMemory(entry);
      if (!m.ok()) return Error::Invalid("restart status " + name, m.error().message);
      read[*key] = *m;
    }
  } catch (const nlohmann::json::exception& e) {
    return Error::Invalid("restart status", std::string("wrong type: ") + e.what());
  }
  memory_ = std::move(read);
  return Status::Ok();
}

}  // namespace baton::planner
