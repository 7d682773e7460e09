// The watcher's loop over an in-memory cluster (fake_watch_io.h): one tick
// at a time, checking the calls it makes and the events it logs.

#include "runtime/watcher.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fake_watch_io.h"
#include "planner/desired_record.h"
#include "planner/placement.h"
#include "runtime/watch_tick.h"
#include "tests/planner/desired_fixture.h"

namespace baton::runtime {
namespace {

using planner::testing::Host;
using Strings = std::vector<std::string>;
using testing::FakeWatchIo;

constexpr char kShop[] = R"(name: shop
services:
  web:
    image: baton/busybox:lab
    restart: always
    deploy:
      replicas: 3
)";

constexpr char kHealthyShop[] = R"(name: shop
services:
  web:
    image: baton/busybox:lab
    restart: always
    healthcheck:
      test: ["CMD", "true"]
    deploy:
      replicas: 3
)";

// web autoscaled between 1 and 6 replicas at 50 % of its 0.5 CPU.
constexpr char kAutoscaledShop[] = R"(name: shop
services:
  web:
    image: baton/busybox:lab
    restart: always
    deploy:
      replicas: 3
      resources: {reservations: {cpus: '0.5'}}
    x-baton:
      autoscale: {min: 1, max: 6, cpu: 50}
)";

// The state `up` leaves: web x3 over lab1..lab3, running for an hour, and
// its record (generation 1) on every host.
void Converge(FakeWatchIo& io, const std::string& yaml = kShop) {
  io.now = WatchClock::from_time_t(1795000000);  // 2026-11-18
  compose::Project project = planner::testing::LoadCompose(yaml);
  planner::DesiredState desired = planner::testing::Desired(yaml);
  planner::ActualState empty = planner::testing::Actual({Host("lab1"), Host("lab2"), Host("lab3")});
  planner::Placement placement = planner::Place(desired, empty);
  io.cluster = planner::testing::Applied(desired, empty, placement);
  for (planner::HostState& host : io.cluster.hosts) {
    host.networks = {"shop_default"};
    host.images = {"baton/busybox:lab"};
    for (planner::ActualContainer& c : host.containers) {
      c.restart_policy = "always";
      c.intended_restart = "always";
      c.started_at = FormatRfc3339(io.now - std::chrono::hours(1));
      if (yaml == kHealthyShop) c.health = "healthy";
    }
  }
  planner::DesiredRecord record = planner::MakeRecord(project, desired, {}, placement, io.cluster,
                                                      nullptr, "test", FormatRfc3339(io.now));
  record.generation = 1;
  io.stored = StoredRecord{record, "sha-1", {"lab1", "lab2", "lab3"}, {}, false};
}

// The host running `name`, whose container is removed.
std::string Remove(FakeWatchIo& io, const std::string& name) {
  for (planner::HostState& host : io.cluster.hosts)
    for (auto it = host.containers.begin(); it != host.containers.end(); ++it)
      if (it->name == name) {
        host.containers.erase(it);
        return host.name;
      }
  FAIL("no container " << name);
  return "";
}

planner::ActualContainer& Replica(FakeWatchIo& io, const std::string& name, std::string* host) {
  for (planner::HostState& h : io.cluster.hosts)
    for (planner::ActualContainer& c : h.containers)
      if (c.name == name) {
        *host = h.name;
        return c;
      }
  FAIL("no container " << name);
  return io.cluster.hosts.front().containers.front();
}

TEST_CASE("watcher: converged state produces no calls", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  watcher.Tick();
  CHECK(io.calls == Strings{});
  CHECK(io.EventKinds() == "");
}

TEST_CASE("watcher: a removed replica is recreated in its slot", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  std::string host = Remove(io, "shop-web-2");
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  CHECK(io.calls == Strings{"apply " + host + " create shop-web-2"});
  watcher.Tick();
  CHECK(io.calls.size() == 1);
}

TEST_CASE("watcher: a second crash within 10 min takes the replica over", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  std::string host;
  planner::ActualContainer& web = Replica(io, "shop-web-1", &host);
  // The engine restarted it once after a 3 s run: the first short run.
  web.restart_count = 1;
  web.started_at = FormatRfc3339(io.now - std::chrono::seconds(2));
  web.finished_at = FormatRfc3339(io.now - std::chrono::seconds(3));
  web.exit_code = 3;
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  CHECK(io.calls == Strings{});
  // It crashed again after 4 s; the engine is about to restart it.
  io.now += std::chrono::seconds(4);
  web.state = "restarting";
  web.finished_at = FormatRfc3339(io.now - std::chrono::seconds(1));
  watcher.Tick();
  CHECK(io.calls == Strings{"takeover " + host + " " + web.id});
  CHECK(io.EventKinds() == "takeover");
}

TEST_CASE("watcher: unhealthy is recreated", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io, kHealthyShop);
  std::string host;
  Replica(io, "shop-web-1", &host).health = "unhealthy";
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  CHECK(io.calls == Strings{"apply " + host + " recreate shop-web-1"});
  CHECK(io.EventKinds() == "replace");
}

TEST_CASE("watcher: a suspect host is frozen, nothing moves", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  io.conditions["lab2"] = HostCondition::kSuspect;
  io.failing_observe = {"lab2"};
  watcher.Tick();
  // A fresh watcher has never seen lab2: it moves nothing either.
  Watcher fresh(io, "shop", {});
  fresh.Tick();
  CHECK(io.calls == Strings{});
  CHECK(io.EventKinds() == "host-suspect host-suspect");
}

TEST_CASE("watcher: a down host's replicas are placed elsewhere, record written before the creates",
          "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  std::string slot_host;
  Replica(io, "shop-web-3", &slot_host);
  io.conditions[slot_host] = HostCondition::kDown;
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  REQUIRE(io.calls.size() == 2);
  CHECK(io.calls[0] == "write-record 2");
  CHECK(io.calls[1].ends_with(" create shop-web-3"));
  CHECK(io.calls[1].find(slot_host) == std::string::npos);
  std::string owner = io.stored->record.placement["web"][3];
  CHECK(io.calls[1] == "apply " + owner + " create shop-web-3");
  CHECK(io.EventKinds() == "host-down failover");
  watcher.Tick();
  CHECK(io.calls.size() == 2);
}

TEST_CASE("watcher: paused while the deploy lock exists", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  std::string host = Remove(io, "shop-web-1");
  io.lock = {{"alice@laptop pid 4242", "2026-11-18T00:00:00Z", "lab1"}};
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  watcher.Tick();
  CHECK(io.calls == Strings{});
  CHECK(io.EventKinds() == "paused");
  CHECK(io.events[0].message ==
        "deploy lock held by alice@laptop pid 4242 since 2026-11-18T00:00:00Z");
  io.lock.clear();
  watcher.Tick();
  CHECK(io.calls == Strings{"apply " + host + " create shop-web-1"});
  CHECK(io.EventKinds() == "paused resumed create");
}

TEST_CASE("watcher: acts only while the lease is held", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  std::string host = Remove(io, "shop-web-1");
  io.lease = false;
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  CHECK(io.calls == Strings{});
  io.lease = true;
  watcher.Tick();
  CHECK(io.calls == Strings{"apply " + host + " create shop-web-1"});
}

TEST_CASE("watcher: a deploy lock taken during the tick stops its writes", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  Remove(io, "shop-web-1");
  io.during_observe = [&] {
    io.lock = {{"alice@laptop pid 4242", "2026-11-18T00:00:00Z", "lab1"}};
  };
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  CHECK(io.calls == Strings{});
}

TEST_CASE("watcher: a lease lost during the tick stops its writes", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  Remove(io, "shop-web-1");
  io.during_observe = [&] { io.lease = false; };
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  CHECK(io.calls == Strings{});
}

TEST_CASE("watcher: a tombstone ends the watch", "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io);
  io.stored->record.removed = true;
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  CHECK(watcher.done());
  CHECK(io.calls == Strings{});
}

TEST_CASE("watcher: an autoscale decision is written, then the same tick creates the replicas",
          "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io, kAutoscaledShop);
  testing::FakeStatsSource stats;
  // 90 % of the reservation: ceil(3 * 90 / 50) = 6 once the 15 s window is full.
  stats.percent_of_one_cpu = {{"id-web-1", 45}, {"id-web-2", 45}, {"id-web-3", 45}};
  WatchOptions options;
  options.stats = &stats;
  Watcher watcher(io, "shop", options);
  for (int tick = 0; tick < 5 && io.calls.empty(); ++tick) {
    watcher.Tick();
    io.now += std::chrono::seconds(5);
    stats.Advance(std::chrono::seconds(5));
  }
  REQUIRE(io.calls.size() == 5);
  // The counts first, then the placement of the new slots, then the creates.
  CHECK(io.calls[0] == "write-record 2");
  CHECK(io.calls[1] == "write-record 3");
  for (int slot = 4; slot <= 6; ++slot)
    CHECK(io.calls[slot - 2] == "apply " + io.stored->record.placement["web"][slot] +
                                    " create shop-web-" + std::to_string(slot));
  CHECK(io.stored->record.scale["web"].replicas == 6);
  CHECK(io.EventKinds() == "autoscale create create create");
  watcher.Tick();
  CHECK(io.calls.size() == 5);
}

TEST_CASE("watcher: without stats an autoscaled count is still clamped to min..max",
          "[runtime][watcher]") {
  FakeWatchIo io;
  Converge(io, kAutoscaledShop);
  io.stored->record.scale["web"].replicas = 9;
  Watcher watcher(io, "shop", {});
  watcher.Tick();
  REQUIRE_FALSE(io.calls.empty());
  CHECK(io.calls[0] == "write-record 2");
  CHECK(io.stored->record.scale["web"].replicas == 6);
}

}  // namespace
}  // namespace baton::runtime
