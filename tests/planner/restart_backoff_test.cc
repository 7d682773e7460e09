#include "planner/restart_backoff.h"

#include <catch2/catch.hpp>

#include "planner/actual_state.h"

namespace baton::planner {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const WallClock::time_point kT0 = WallClock::time_point(std::chrono::hours(24 * 20000));
const ReplicaKey kWeb{"web", 1};

// A replica the watcher has taken over (engine policy "no") that has just
// exited after a run of 5 s that began at `start`.
ReplicaRun TakenOverExit(WallClock::time_point start) {
  ReplicaRun run;
  run.state = "exited";
  run.exit_code = 3;
  run.started_at = start;
  run.finished_at = start + seconds(5);
  run.engine_policy = "no";
  run.intended_policy = "always";
  return run;
}

ReplicaRun EngineRestarting(WallClock::time_point start, int64_t restart_count) {
  ReplicaRun run;
  run.state = "restarting";
  run.exit_code = 3;
  run.started_at = start;
  run.finished_at = start + seconds(2);
  run.restart_count = restart_count;
  run.engine_policy = "always";
  run.intended_policy = "always";
  return run;
}

ReplicaRun Running(WallClock::time_point start, const std::string& engine_policy) {
  ReplicaRun run;
  run.state = "running";
  run.started_at = start;
  run.engine_policy = engine_policy;
  run.intended_policy = "always";
  return run;
}

TEST_CASE("watcher: restarts follow 1,2,4... s and cap at 5 min", "[planner][restart]") {
  CHECK(BackoffDelay(0) == seconds(0));
  CHECK(BackoffDelay(1) == seconds(0));
  RestartTracker tracker;
  WallClock::time_point now = kT0;
  std::vector<int64_t> delays;
  for (int crash = 0; crash < 12; ++crash) {
    RestartDecision d = tracker.Judge(kWeb, TakenOverExit(now), now + seconds(5));
    REQUIRE(d.verdict == RestartVerdict::kStartAt);
    delays.push_back(std::chrono::duration_cast<seconds>(d.at - (now + seconds(5))).count());
    now = d.at + seconds(1);
  }
  // The first exit seen after a take-over is the second failure.
  CHECK(delays == std::vector<int64_t>{0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300});
  CHECK(BackoffDelay(1000) == seconds(300));
}

TEST_CASE("watcher: the same exit seen twice counts once", "[planner][restart]") {
  RestartTracker tracker;
  tracker.Judge(kWeb, TakenOverExit(kT0), kT0 + seconds(6));
  RestartDecision d = tracker.Judge(kWeb, TakenOverExit(kT0), kT0 + seconds(7));
  CHECK(d.failures == 1);
  CHECK(d.at == kT0 + seconds(6));
  CHECK(d.reason == "exit 3, 1 short runs: restart in 0s");
}

TEST_CASE("watcher: a second crash within 10 min takes the replica over", "[planner][restart]") {
  RestartTracker tracker;
  RestartDecision first = tracker.Judge(kWeb, EngineRestarting(kT0, 1), kT0 + seconds(3));
  CHECK(first.verdict == RestartVerdict::kEngine);
  tracker.Judge(kWeb, Running(kT0 + seconds(3), "always"), kT0 + seconds(4));
  RestartDecision second =
      tracker.Judge(kWeb, EngineRestarting(kT0 + seconds(3), 2), kT0 + seconds(6));
  CHECK(second.verdict == RestartVerdict::kTakeOver);
  CHECK(second.policy_name == "no");
  CHECK(second.failures == 2);
  // Our own stop is no failure: the replica starts after 1 s.
  ReplicaRun stopped = TakenOverExit(kT0 + seconds(3));
  stopped.finished_at = kT0 + seconds(7);
  RestartDecision after = tracker.Judge(kWeb, stopped, kT0 + seconds(7));
  CHECK(after.verdict == RestartVerdict::kStartAt);
  CHECK(after.failures == 2);
  CHECK(after.at == kT0 + seconds(7));
}

TEST_CASE("watcher: a replica without the restart label is replaced, not taken over",
          "[planner][restart]") {
  RestartTracker tracker;
  ReplicaRun first = EngineRestarting(kT0, 1);
  first.intended_policy = "";  // made before baton.restart existed; its engine says always
  CHECK(tracker.Judge(kWeb, first, kT0 + seconds(3)).verdict == RestartVerdict::kEngine);
  ReplicaRun second = EngineRestarting(kT0 + seconds(3), 2);
  second.intended_policy = "";
  RestartDecision d = tracker.Judge(kWeb, second, kT0 + seconds(6));
  CHECK(d.verdict == RestartVerdict::kReplace);
  CHECK(d.at == kT0 + seconds(6));
  CHECK(d.reason == "exit 3, 2 short runs: no restart label: replace it now");
}

TEST_CASE("watcher: a crash after a long run is a first failure", "[planner][restart]") {
  RestartTracker tracker;
  tracker.Judge(kWeb, Running(kT0, "always"), kT0);
  ReplicaRun crash = EngineRestarting(kT0, 1);
  crash.finished_at = kT0 + minutes(30);
  CHECK(tracker.Judge(kWeb, crash, kT0 + minutes(30)).verdict == RestartVerdict::kEngine);
  CHECK(tracker.failures(kWeb) == 1);
}

TEST_CASE("watcher: ten healthy minutes reset the backoff", "[planner][restart]") {
  RestartTracker tracker;
  for (int i = 0; i < 3; ++i)
    tracker.Judge(kWeb, TakenOverExit(kT0 + minutes(i)), kT0 + minutes(i) + seconds(5));
  REQUIRE(tracker.failures(kWeb) == 3);
  WallClock::time_point start = kT0 + minutes(5);
  CHECK(tracker.Judge(kWeb, Running(start, "no"), start).verdict == RestartVerdict::kLeave);
  CHECK(tracker.Judge(kWeb, Running(start, "no"), start + minutes(9)).failures == 3);
  RestartDecision d = tracker.Judge(kWeb, Running(start, "no"), start + minutes(10));
  CHECK(d.verdict == RestartVerdict::kRestore);
  CHECK(d.policy_name == "always");
  CHECK(d.failures == 0);
  CHECK(tracker.Judge(kWeb, Running(start, "always"), start + minutes(11)).verdict ==
        RestartVerdict::kLeave);
}

TEST_CASE("watcher: policy no is never restarted", "[planner][restart]") {
  RestartTracker tracker;
  ReplicaRun run = TakenOverExit(kT0);
  run.intended_policy = "";
  CHECK(tracker.Judge(kWeb, run, kT0 + seconds(6)).verdict == RestartVerdict::kLeave);
  run.intended_policy = "no";
  CHECK(tracker.Judge(kWeb, run, kT0 + seconds(7)).verdict == RestartVerdict::kLeave);
}

TEST_CASE("watcher: an unhealthy replica is replaced also under policy no",
          "[planner][restart]") {
  RestartTracker tracker;
  ReplicaRun run = Running(kT0, "no");
  run.intended_policy = "no";
  run.health = "unhealthy";
  CHECK(tracker.Judge(kWeb, run, kT0 + seconds(6)).verdict == RestartVerdict::kReplace);
}

TEST_CASE("watcher: on-failure:N gives up after N restarts", "[planner][restart]") {
  RestartTracker tracker;
  std::vector<RestartVerdict> verdicts;
  for (int i = 0; i < 3; ++i) {
    ReplicaRun run = TakenOverExit(kT0 + minutes(i));
    run.intended_policy = "on-failure:2";
    verdicts.push_back(tracker.Judge(kWeb, run, kT0 + minutes(i) + seconds(5)).verdict);
  }
  CHECK(verdicts == std::vector<RestartVerdict>{RestartVerdict::kStartAt, RestartVerdict::kStartAt,
                                                RestartVerdict::kGiveUp});
}

TEST_CASE("watcher: on-failure used up by the engine is given up", "[planner][restart]") {
  RestartTracker tracker;
  ReplicaRun run = TakenOverExit(kT0);
  run.engine_policy = "on-failure";
  run.intended_policy = "on-failure:3";
  run.restart_count = 3;
  CHECK(tracker.Judge(kWeb, run, kT0 + seconds(6)).verdict == RestartVerdict::kGiveUp);
}

TEST_CASE("watcher: on-failure with a clean exit restores the policy", "[planner][restart]") {
  RestartTracker tracker;
  ReplicaRun run = TakenOverExit(kT0);
  run.exit_code = 0;
  run.intended_policy = "on-failure:5";
  RestartDecision d = tracker.Judge(kWeb, run, kT0 + seconds(6));
  CHECK(d.verdict == RestartVerdict::kRestore);
  CHECK(d.policy_name == "on-failure");
  CHECK(d.max_retry == 5);
}

TEST_CASE("watcher: always restarts a clean exit", "[planner][restart]") {
  RestartTracker tracker;
  ReplicaRun run = TakenOverExit(kT0);
  run.exit_code = 0;
  CHECK(tracker.Judge(kWeb, run, kT0 + seconds(6)).verdict == RestartVerdict::kStartAt);
}

TEST_CASE("watcher: unless-stopped is not restarted after a stop", "[planner][restart]") {
  RestartTracker tracker;
  ReplicaRun run = TakenOverExit(kT0);
  run.intended_policy = "unless-stopped";
  run.stopped_by_user = true;
  CHECK(tracker.Judge(kWeb, run, kT0 + seconds(6)).verdict == RestartVerdict::kLeave);
  // A stop the engine honoured (its policy still restarts) is left alone too.
  ReplicaRun honoured = TakenOverExit(kT0);
  honoured.engine_policy = "unless-stopped";
  honoured.intended_policy = "unless-stopped";
  CHECK(tracker.Judge({"web", 2}, honoured, kT0 + seconds(6)).verdict == RestartVerdict::kLeave);
}

TEST_CASE("watcher: a replica killed outside baton under always is started again at once",
          "[planner][restart]") {
  RestartTracker tracker;
  ReplicaRun killed = TakenOverExit(kT0);
  killed.exit_code = 137;
  killed.engine_policy = "always";  // the engine honours a kill: it never restarts it
  RestartDecision d = tracker.Judge(kWeb, killed, kT0 + seconds(6));
  CHECK(d.verdict == RestartVerdict::kStartAt);
  CHECK(d.at == kT0 + seconds(6));
  // on-failure after a clean exit is the engine's own choice: left alone.
  ReplicaRun clean = killed;
  clean.exit_code = 0;
  clean.engine_policy = clean.intended_policy = "on-failure";
  CHECK(tracker.Judge({"web", 2}, clean, kT0 + seconds(6)).verdict == RestartVerdict::kLeave);
}

TEST_CASE("watcher: unhealthy is replaced after the backoff", "[planner][restart]") {
  RestartTracker tracker;
  ReplicaRun run = Running(kT0, "always");
  run.health = "unhealthy";
  RestartDecision d = tracker.Judge(kWeb, run, kT0 + seconds(30));
  CHECK(d.verdict == RestartVerdict::kReplace);
  CHECK(d.at == kT0 + seconds(30));
  CHECK(d.failures == 1);
  ReplicaRun again = Running(kT0 + minutes(1), "always");
  again.health = "unhealthy";
  RestartDecision second = tracker.Judge(kWeb, again, kT0 + minutes(2));
  CHECK(second.failures == 2);
  CHECK(second.at == kT0 + minutes(2) + seconds(1));
  CHECK(second.reason == "unhealthy, 2 short runs: replace in 1s");
}

TEST_CASE("watcher: the backoff state survives a new lease holder", "[planner][restart]") {
  RestartTracker tracker;
  tracker.Judge(kWeb, TakenOverExit(kT0), kT0 + seconds(5));
  tracker.Judge(kWeb, TakenOverExit(kT0 + minutes(1)), kT0 + minutes(1) + seconds(5));
  RestartTracker resumed;
  REQUIRE(resumed.FromStatus(tracker.ToStatus()).ok());
  CHECK(resumed.ToStatus() == tracker.ToStatus());
  RestartDecision d =
      resumed.Judge(kWeb, TakenOverExit(kT0 + minutes(1)), kT0 + minutes(1) + seconds(9));
  CHECK(d.failures == 2);
  CHECK(d.at == kT0 + minutes(1) + seconds(6));
}

TEST_CASE("watcher: a malformed restart status is refused", "[planner][restart]") {
  RestartTracker tracker;
  Status s = tracker.FromStatus(nlohmann::json{{"web", {{"failures", 1}}}});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "restart status: bad replica web");
  Status t = tracker.FromStatus(nlohmann::json{{"web/1", {{"exit_seen", "yesterday"}}}});
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().ToString() == "restart status web/1: bad time in exit_seen");
}

TEST_CASE("watcher: engine times parse from an observed container", "[planner][restart]") {
  ActualContainer c;
  c.state = "exited";
  c.started_at = "2026-11-29T05:07:13.5Z";
  c.finished_at = "0001-01-01T00:00:00Z";
  ReplicaRun run = RunFromActual(c, false);
  REQUIRE(run.started_at.has_value());
  CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(run.started_at->time_since_epoch())
            .count() == 1795928833500);
  CHECK_FALSE(run.finished_at.has_value());
  c.started_at = "2026-11-29T06:07:13.5+01:00";
  CHECK(RunFromActual(c, false).started_at == run.started_at);
}

}  // namespace
}  // namespace baton::planner
