// `baton ps` and the watcher era (issue 6): crash loops from the watcher's
// backoff or the engine's restart count with their log tails, netd's READY,
// drained hosts and autoscaled services, in the table and in JSON.

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/ps_facts.h"
#include "cli/ps_render.h"
#include "planner/restart_backoff.h"

namespace baton::cli {
namespace {

using planner::ActualContainer;

constexpr std::time_t kNow = 1'800'000'000;  // 2027-01-15T08:00:00Z

ActualContainer Container(const std::string& service, int slot, const std::string& state) {
  ActualContainer c;
  c.service = service;
  c.slot = slot;
  c.name = "shop-" + service + "-" + std::to_string(slot);
  c.id = "id-" + c.name;
  c.state = state;
  c.created = "2027-01-15T07:00:00Z";
  c.started_at = "2027-01-15T07:59:30Z";
  return c;
}

// worker/1 crashed (exit 3) at 07:59:57; the watcher started it 5 times.
ActualContainer Crashed() {
  ActualContainer c = Container("worker", 1, "exited");
  c.exit_code = 3;
  c.finished_at = "2027-01-15T07:59:57.5Z";
  c.restart_policy = "no";
  return c;
}

planner::ActualState OneHost(std::vector<ActualContainer> containers) {
  planner::ActualState actual;
  actual.project = "shop";
  actual.hosts.resize(1);
  actual.hosts[0].name = "lab1";
  actual.hosts[0].reachable = true;
  actual.hosts[0].containers = std::move(containers);
  return actual;
}

PsExtras WatcherSaw(int failures) {
  PsExtras extras;
  extras.watcher = true;
  extras.restarts[{"worker", 1}] = {failures, kNow - 3};
  extras.log_tails["id-shop-worker-1"] = {"starting", "boom"};
  return extras;
}

netd::ReplicaStatus Netd(const std::string& container, bool readiness, bool ready, bool in_dns,
                         const std::string& reason) {
  return {container, "shop", "", 1, readiness, ready, in_dns, reason};
}

TEST_CASE("ps: a crash-looping replica shows exit code, restarts and next restart", "[cli][ps]") {
  // 5 short runs: the watcher waits 8 s after the exit it saw 3 s ago.
  CHECK(RenderPs(OneHost({Crashed()}), WatcherSaw(5), kNow) ==
        "SERVICE  SLOT  CONTAINER      HOST  STATE                                         "
        "  HEALTH  READY  PORTS  AGE\n"
        "worker   1     shop-worker-1  lab1  crash-looping (exit 3, 5 restarts, next in 5s)"
        "  -       -      -      1h\n"
        "\n"
        "worker/1 on lab1 (shop-worker-1) is crash-looping; last log lines:\n"
        "  starting\n"
        "  boom\n");
}

TEST_CASE("ps: one short run is no crash loop for the watcher", "[cli][ps]") {
  WatcherRestarts once{1, kNow - 3};
  CHECK_FALSE(JudgeCrashLoop(Crashed(), &once, kNow));
  CHECK(StateText(Crashed(), JudgeCrashLoop(Crashed(), &once, kNow)) == "exited (3)");
}

TEST_CASE("ps: without a watcher the engine's restart count shows a crash loop", "[cli][ps]") {
  ActualContainer c = Crashed();
  c.state = "restarting";
  c.restart_policy = "always";
  c.restart_count = 7;
  c.finished_at = "2027-01-15T07:59:59Z";
  // Counted at the 7th exit, the engine waits 100 ms doubled 6 times (6.4 s).
  auto loop = JudgeCrashLoop(c, nullptr, kNow);
  REQUIRE(loop);
  CHECK_FALSE(loop->by_watcher);
  CHECK(StateText(c, loop) == "crash-looping (exit 3, 7 restarts, next in 5s)");
  c.state = "exited";  // the engine gave up (on-failure:7): no next restart
  CHECK(StateText(c, JudgeCrashLoop(c, nullptr, kNow)) == "crash-looping (exit 3, 7 restarts)");
}

TEST_CASE("ps: a few restarts, an old exit or a running replica is no crash loop", "[cli][ps]") {
  ActualContainer c = Crashed();
  c.state = "restarting";
  c.restart_count = 2;
  c.finished_at = "2027-01-15T07:59:59Z";
  CHECK_FALSE(JudgeCrashLoop(c, nullptr, kNow));
  c.restart_count = 9;
  c.finished_at = "2027-01-15T07:49:59Z";  // 10 min ago: a long run ended it
  CHECK_FALSE(JudgeCrashLoop(c, nullptr, kNow));
  c.finished_at = "2027-01-15T07:59:59Z";
  c.state = "running";
  CHECK_FALSE(JudgeCrashLoop(c, nullptr, kNow));
}

TEST_CASE("ps: ready is netd's verdict, '-' without readiness and '?' when unknown", "[cli][ps]") {
  PsExtras extras;
  extras.readiness_services = {"web", "api"};
  extras.readiness["lab1"] = {
      true,
      {{"shop-web-1", Netd("shop-web-1", true, false, false, "readiness failing: exit 1")},
       {"shop-db-1", Netd("shop-db-1", false, true, true, "")}}};
  extras.readiness["lab2"] = {};  // netd absent or old
  planner::ActualState actual =
      OneHost({Container("web", 1, "running"), Container("db", 1, "running"),
               Container("web", 2, "exited")});
  actual.hosts.push_back(actual.hosts[0]);
  actual.hosts[1].name = "lab2";
  actual.hosts[1].containers = {Container("api", 1, "running")};
  CHECK(ReadinessOf(actual.hosts[0].containers[0], "lab1", extras).column == "no");
  CHECK(ReadinessOf(actual.hosts[0].containers[1], "lab1", extras).column == "-");
  CHECK(ReadinessOf(actual.hosts[0].containers[2], "lab1", extras).column == "no");
  CHECK(ReadinessOf(actual.hosts[1].containers[0], "lab2", extras).column == "?");
  CHECK(RenderPs(actual, extras, kNow) ==
        "SERVICE  SLOT  CONTAINER   HOST  STATE       HEALTH  READY  PORTS  AGE\n"
        "api      1     shop-api-1  lab2  running     -       ?      -      30s\n"
        "db       1     shop-db-1   lab1  running     -       -      -      30s\n"
        "web      1     shop-web-1  lab1  running     -       no     -      30s\n"
        "web      2     shop-web-2  lab1  exited (0)  -       no     -      1h\n"
        "web/1 on lab1 not in DNS: readiness failing: exit 1\n");
}

TEST_CASE("ps: drained hosts and autoscaled services get a line", "[cli][ps]") {
  planner::ActualState actual = OneHost({});
  actual.hosts[0].drained = true;
  actual.hosts.push_back({});
  actual.hosts[1].name = "lab2";
  actual.hosts[1].reachable = true;
  actual.hosts[1].drained = true;  // its marker could not be read
  PsExtras extras;
  extras.drained["lab1"] = {"alice@laptop pid 4", "2027-01-15T07:00:00Z"};
  planner::AutoscalePolicy policy;
  policy.min = 1;
  policy.max = 3;
  policy.cpu_percent = 50;
  extras.autoscaled = {{"web", policy, 2, "cpu 93% > 50% for 30s: 1->2"},
                       {"worker", policy, 1, ""}};
  CHECK(RenderPs(actual, extras, kNow) ==
        "SERVICE  SLOT  CONTAINER  HOST  STATE  HEALTH  READY  PORTS  AGE\n"
        "lab1  drained since 2027-01-15T07:00:00Z by alice@laptop pid 4\n"
        "lab2  drained\n"
        "web: autoscaled 1..3 at cpu 50%: 2 replicas (cpu 93% > 50% for 30s: 1->2)\n"
        "worker: autoscaled 1..3 at cpu 50%: 1 replica\n");
}

TEST_CASE("ps: json carries the crash loop, readiness, drained hosts and autoscale", "[cli][ps]") {
  planner::ActualState actual = OneHost({Crashed()});
  actual.hosts[0].drained = true;
  PsExtras extras = WatcherSaw(5);
  extras.drained["lab1"] = {"alice", "2027-01-15T07:00:00Z"};
  extras.autoscaled = {{"web", planner::AutoscalePolicy{1, 3, 50}, 2, "cpu 93% > 50%: 1->2"}};
  nlohmann::json json = nlohmann::json::parse(RenderPsJson(actual, extras, kNow));
  const nlohmann::json& worker = json["containers"][0];
  CHECK(worker["status"] == "crash-looping (exit 3, 5 restarts, next in 5s)");
  CHECK(worker["crash_loop"] == nlohmann::json::parse(R"({"exit_code": 3, "restarts": 5,
                                  "counted_by": "watcher", "next_restart_in": 5})"));
  CHECK(worker["log_tail"] == nlohmann::json::array({"starting", "boom"}));
  CHECK(worker["ready"] == "-");
  CHECK(worker["in_dns"].is_null());
  CHECK(json["watcher"] == true);
  CHECK(json["drained_hosts"] == nlohmann::json::parse(
                                     R"([{"host": "lab1", "by": "alice",
                                          "since": "2027-01-15T07:00:00Z"}])"));
  CHECK(json["autoscaled"][0]["replicas"] == 2);
  CHECK(json["autoscaled"][0]["reason"] == "cpu 93% > 50%: 1->2");
}

TEST_CASE("ps: the watcher status gives each replica's short runs and exit", "[cli][ps]") {
  auto status = ParseWatcherStatus(R"({"web/2": {"failures": 3, "counted_restarts": 0,
      "exit_seen": "2027-01-15T07:59:50.000000000Z"}, "odd": {"failures": 1},
      "api/x": {}, "db/1": 7})");
  REQUIRE(status.ok());
  REQUIRE(status->size() == 1);
  CHECK(status->at({"web", 2}).failures == 3);
  CHECK(status->at({"web", 2}).exit_seen == kNow - 10);
  auto nested = ParseWatcherStatus(R"({"restarts": {"web/1": {"failures": 2}}})");
  REQUIRE(nested.ok());
  CHECK(nested->at({"web", 1}).exit_seen == -1);
  CHECK(ParseWatcherStatus("[]").error().ToString() == "watcher status: not a JSON object");
}

TEST_CASE("ps: the restart tracker's own status reads back", "[cli][ps]") {
  planner::RestartTracker tracker;
  planner::ReplicaKey key{"worker", 1};
  ActualContainer c = Crashed();
  c.state = "restarting";
  c.restart_policy = "always";
  c.intended_restart = "always";
  c.started_at = "2027-01-15T07:59:57Z";
  c.restart_count = 1;
  auto now = planner::WallClock::from_time_t(kNow);
  tracker.Judge(key, planner::RunFromActual(c, false), now);
  c.started_at = "2027-01-15T07:59:58Z";
  c.finished_at = "2027-01-15T07:59:58.5Z";
  c.restart_count = 2;
  tracker.Judge(key, planner::RunFromActual(c, false), now + std::chrono::seconds(1));
  REQUIRE(tracker.failures(key) == 2);
  auto status = ParseWatcherStatus(tracker.ToStatus().dump());
  REQUIRE(status.ok());
  CHECK(status->at({"worker", 1}).failures == 2);
  CHECK(status->at({"worker", 1}).exit_seen == kNow + 1);
}

TEST_CASE("ps: log tails merge stdout and stderr in time order", "[cli][ps]") {
  std::string out = "2027-01-15T07:59:57.100000000Z one\n2027-01-15T07:59:57.300000000Z three\n";
  std::string err = "2027-01-15T07:59:57.200000000Z two\r\n2027-01-15T07:59:57.400000000Z four\n";
  CHECK(LastLogLines(out, err, 3) == std::vector<std::string>{"two", "three", "four"});
  CHECK(LastLogLines("", "", 5).empty());
}

}  // namespace
}  // namespace baton::cli
