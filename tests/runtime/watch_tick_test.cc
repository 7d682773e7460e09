// The pure parts of a watcher tick: filtering a plan, merging the
// observation with host health, the placement a plan leads to.

#include "runtime/watch_tick.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "planner/restart_backoff.h"
#include "runtime/netd_container.h"
#include "tests/planner/plan_fixture.h"

namespace baton::runtime {
namespace {

using planner::Action;
using planner::ActionKind;
using planner::testing::Host;

Action On(const std::string& host, const std::string& name, std::vector<size_t> after = {}) {
  Action a{ActionKind::kCreateContainer, host, "web", 1, name, "", "", std::move(after), "", ""};
  return a;
}

// "lab1 a; lab2 c after 0": each action and what it comes after.
std::string Lines(const planner::Plan& plan) {
  std::string out;
  for (const Action& a : plan.actions) {
    out += (out.empty() ? "" : "; ") + a.host + " " + a.name;
    for (size_t k = 0; k < a.after.size(); ++k)
      out += (k == 0 ? " after " : ",") + std::to_string(a.after[k]);
  }
  return out;
}

TEST_CASE("tick: dropping an action drops what comes after it and renumbers the rest",
          "[runtime][watcher]") {
  planner::Plan plan;
  // A moved slot: the removal (1) waits for the create (2), listed later.
  plan.actions = {On("lab1", "a"), On("lab2", "b", {2}), On("lab2", "c", {0}),
                  On("lab3", "d", {0})};
  planner::Plan out = DropActions(plan, [](const Action& a) { return a.name == "c"; });
  CHECK(Lines(out) == "lab1 a; lab3 d after 0");
}

TEST_CASE("tick: a suspect host keeps its last known state, frozen and a down one is unreachable",
          "[runtime][watcher]") {
  planner::ActualState observed =
      planner::testing::Actual({Host("lab1"), Host("lab2"), Host("lab3")});
  observed.hosts[1].reachable = false;  // its observation failed
  planner::HostState known = Host("lab2");
  known.containers.push_back(planner::testing::Replica(planner::testing::Service("web"), 1));
  HostConditions hosts{{"lab1", HostCondition::kUp},
                       {"lab2", HostCondition::kSuspect},
                       {"lab3", HostCondition::kDown}};
  MergedObservation merged = MergeObservation(observed, hosts, {{"lab2", known}});
  CHECK(merged.frozen == std::set<std::string>{"lab2"});
  CHECK_FALSE(merged.blind);
  CHECK(merged.actual.hosts[1].reachable);
  CHECK(merged.actual.hosts[1].containers.size() == 1);
  CHECK_FALSE(merged.actual.hosts[2].reachable);
  MergedObservation fresh = MergeObservation(observed, hosts, {});
  CHECK(fresh.blind);
}

TEST_CASE("tick: an unplaced slot keeps its recorded owner", "[runtime][watcher]") {
  planner::Plan plan;
  plan.placement = {{"web", 1, "lab1", "shop-web-1"}};
  plan.unplaced = {{"db", 1, "0/3 hosts: 1 is unreachable, 2 lack volume shop_data"}};
  planner::DesiredRecord record;
  record.placement = {{"web", {{1, "lab3"}}}, {"db", {{1, "lab3"}}}};
  std::map<std::string, std::map<int, std::string>> want = {{"web", {{1, "lab1"}}},
                                                            {"db", {{1, "lab3"}}}};
  CHECK(PlannedPlacement(plan, record) == want);
}

// A failover: web x2 ran as web-1 on lab1 and web-2 on lab3, on a spanned
// network with netd; lab1 is down, lab2 is empty (no network, netd, image).
struct Failover {
  planner::DesiredState desired;
  planner::ActualState actual;
  planner::DesiredRecord record;
  HostConditions hosts{{"lab1", HostCondition::kDown}};
  planner::UpOptions options;
};

Failover LostLab1(planner::ServiceSpec web) {
  using namespace planner::testing;
  Failover f;
  web.replicas = 2;
  f.desired = Desired({web});
  f.desired.networks = {Network("default")};
  f.actual = Actual({Host("lab1"), Host("lab2"), Host("lab3")});
  int slice = 0;
  for (int i : {0, 2}) {
    planner::HostState& host = f.actual.hosts[i];
    host.containers = {Replica(web, i == 0 ? 1 : 2)};
    host.networks = {"shop_default"};
    host.network_subnets = {{"shop_default", "10.210." + std::to_string(slice++) + ".0/24"}};
    host.images = {web.service.image};
    host.netd = {true, true, "netd-" + host.name, kNetdHash};
  }
  f.record.project = "shop";
  f.record.generation = 1;
  f.record.placement = {{"web", {{1, "lab1"}, {2, "lab3"}}}};
  for (const char* host : {"lab1", "lab2", "lab3"}) f.options.netd_hashes[host] = kNetdHash;
  return f;
}

TickResult Tick(const Failover& f) {
  MergedObservation merged = MergeObservation(f.actual, f.hosts, {});
  planner::RestartTracker tracker;
  TickInput input{&f.record, &f.desired, &merged, WatchClock::from_time_t(1795000000),
                  "test",    f.options};
  return MakeTick(input, tracker);
}

// "web/1 needs ...": each pinned event of a result.
std::string Pinned(const TickResult& result) {
  std::string out;
  for (const WatchEvent& e : result.events)
    if (e.kind == "pinned")
      out += e.service + "/" + std::to_string(e.slot) + " " + e.message + "\n";
  return out;
}

TEST_CASE("tick: a failover target gets the network slice, netd and the image from a peer",
          "[runtime][watcher][failover]") {
  TickResult result = Tick(LostLab1(planner::testing::Service("web")));
  CHECK(planner::testing::Describe(result.plan) ==
        "0 lab2 create-network shop_default\n"
        "1 lab2 push img/web from lab3\n"
        "2 lab2 create-netd baton-netd (cluster networking)\n"
        "3 lab2 create shop-web-1 (moved from lab1) after 0,1,2\n");
  CHECK(result.plan.actions[0].subnet == "10.210.2.0/24");
  REQUIRE(result.record);
  CHECK(result.record->placement.at("web").at(1) == "lab2");
  CHECK(Pinned(result).empty());
}

TEST_CASE("tick: a slot whose only targets are suspect keeps its recorded owner, no create",
          "[runtime][watcher][failover]") {
  Failover f = LostLab1(planner::testing::Service("web"));
  f.hosts = {{"lab1", HostCondition::kDown},
             {"lab2", HostCondition::kSuspect},
             {"lab3", HostCondition::kSuspect}};
  std::map<std::string, planner::HostState> known{{"lab2", f.actual.hosts[1]},
                                                  {"lab3", f.actual.hosts[2]}};
  f.actual.hosts[1].reachable = false;  // neither suspect host answered this tick
  f.actual.hosts[2].reachable = false;
  MergedObservation merged = MergeObservation(f.actual, f.hosts, known);
  planner::RestartTracker tracker;
  TickInput input{&f.record, &f.desired, &merged, WatchClock::from_time_t(1795000000),
                  "test",    f.options};
  TickResult result = MakeTick(input, tracker);
  for (const Action& a : result.plan.actions) CHECK(a.kind != ActionKind::kCreateContainer);
  // Recording lab2 or lab3 as web/1's owner would fence nothing but start
  // nothing either: the record stays as it is until a host is Up again.
  CHECK_FALSE(result.record);
}

TEST_CASE("tick: without a netd hash for the target, no netd is planned",
          "[runtime][watcher][failover]") {
  Failover f = LostLab1(planner::testing::Service("web"));
  f.options.netd_hashes.erase("lab2");
  for (const planner::Action& a : Tick(f).plan.actions)
    CHECK(a.kind != planner::ActionKind::kCreateNetd);
}

TEST_CASE("tick: a replica with secrets stays pinned to its owner, nothing prepared for it",
          "[runtime][watcher][failover]") {
  planner::ServiceSpec web = planner::testing::Service("web");
  web.content.secrets = {{"db-password", "fp", "/run/secrets/db-password", 0, 0, 0444}};
  TickResult result = Tick(LostLab1(web));
  CHECK(result.plan.empty());
  CHECK_FALSE(result.record);  // web-1 keeps lab1 as its owner
  CHECK(Pinned(result) == "web/1 needs project files or secrets from `baton up`\n");
}

TEST_CASE("tick: a replica whose copy of project files the target lacks is pinned",
          "[runtime][watcher][failover]") {
  planner::ServiceSpec web = planner::testing::Service("web");
  planner::FileCopyUse copy;
  copy.digest = std::string(64, 'd');
  copy.target = "/etc/web";
  web.content.copies = {copy};
  Failover f = LostLab1(web);
  for (planner::HostState& host : f.actual.hosts)
    if (!host.containers.empty()) host.file_copies[copy.digest].complete = true;
  TickResult result = Tick(f);
  CHECK(result.plan.empty());
  CHECK_FALSE(result.record);
  CHECK(Pinned(result) == "web/1 needs project files or secrets from `baton up`\n");
}

TEST_CASE("tick: a built image is pushed from a host that has it and with none, a build pins it",
          "[runtime][watcher][failover]") {
  planner::ServiceSpec web = planner::testing::Service("web");
  web.content.build =
      planner::BuildUse{std::string(64, 'b'), "shop-web", "shop-web:baton-bbb", "./web"};
  web.service.image = "shop-web:baton-bbb";
  Failover f = LostLab1(web);
  TickResult pushed = Tick(f);
  CHECK(planner::testing::Describe(pushed.plan).find("lab2 push shop-web:baton-bbb from lab3") !=
        std::string::npos);
  CHECK(Pinned(pushed).empty());
  f.actual.hosts[2].images.clear();  // the image is gone everywhere reachable
  TickResult built = Tick(f);
  for (const planner::Action& a : built.plan.actions) CHECK(a.host != "lab2");
  CHECK(Pinned(built) == "web/1 needs project files or secrets from `baton up`\n");
}

TEST_CASE("tick: a pull with no peer holding the image stays a pull and a frozen host is no source",
          "[runtime][watcher][failover]") {
  using planner::ActionKind;
  planner::Plan plan;
  plan.actions = {
      {ActionKind::kPullImage, "lab2", "", 0, "img/web", "", "", {}, "", ""},
      {ActionKind::kCreateContainer, "lab2", "web", 1, "shop-web-1", "", "", {0}, "", ""}};
  MergedObservation observation;
  observation.actual =
      planner::testing::Actual({planner::testing::Host("lab1"), planner::testing::Host("lab2")});
  observation.actual.hosts[0].images = {"img/web"};
  observation.frozen = {"lab1"};
  planner::DesiredState desired = planner::testing::Desired({planner::testing::Service("web")});
  CHECK(planner::testing::Describe(WithoutLocalContent(plan, desired, observation)) ==
        "0 lab2 pull img/web\n1 lab2 create shop-web-1 after 0\n");
  observation.frozen.clear();
  CHECK(planner::testing::Describe(WithoutLocalContent(plan, desired, observation)) ==
        "0 lab2 push img/web from lab1\n1 lab2 create shop-web-1 after 0\n");
}

TEST_CASE("tick: a push from the local engine with no peer holding the image pins the replica",
          "[runtime][watcher][failover]") {
  using planner::ActionKind;
  planner::Plan plan;
  plan.actions = {
      {ActionKind::kPushImage, "lab2", "", 0, "img/web", "", "", {}, "", ""},
      {ActionKind::kCreateContainer, "lab2", "web", 1, "shop-web-1", "", "", {0}, "", ""}};
  plan.placement = {{"web", 1, "lab2", "shop-web-1"}};
  MergedObservation observation;
  observation.actual = planner::testing::Actual({planner::testing::Host("lab2")});
  planner::DesiredState desired = planner::testing::Desired({planner::testing::Service("web")});
  planner::Plan out = WithoutLocalContent(plan, desired, observation);
  CHECK(out.actions.empty());
  CHECK(out.placement.empty());
  REQUIRE(out.unplaced.size() == 1);
  CHECK(out.unplaced[0].reason == "needs image img/web, which no reachable host has");
}

TEST_CASE("tick: the restart status is published when it changes and resumes a new tracker",
          "[runtime][watcher][restart]") {
  planner::RestartTracker tracker;
  std::string published;
  std::optional<std::string> first = RestartStatusToPublish(tracker, published);
  REQUIRE(first);
  CHECK_FALSE(RestartStatusToPublish(tracker, published));
  planner::ReplicaRun run;
  run.state = "exited";
  run.exit_code = 1;
  run.engine_policy = "always";
  run.intended_policy = "always";
  auto now = WatchClock::from_time_t(1795000000);
  run.started_at = now - std::chrono::seconds(5);
  run.finished_at = now - std::chrono::seconds(1);
  tracker.Judge({"web", 1}, run, now);
  std::optional<std::string> second = RestartStatusToPublish(tracker, published);
  REQUIRE(second);
  planner::RestartTracker resumed;
  REQUIRE(ResumeRestartStatus(resumed, *second).ok());
  CHECK(resumed.failures({"web", 1}) == tracker.failures({"web", 1}));
  CHECK(resumed.ToStatus() == tracker.ToStatus());
}

TEST_CASE("tick: a restart status that is not JSON leaves the tracker as it was",
          "[runtime][watcher][restart]") {
  planner::RestartTracker tracker;
  Status resumed = ResumeRestartStatus(tracker, "{not json");
  REQUIRE_FALSE(resumed.ok());
  CHECK(resumed.error().message == "restart status is not JSON");
  CHECK(tracker.ToStatus() == planner::RestartTracker().ToStatus());
}

}  // namespace
}  // namespace baton::runtime
