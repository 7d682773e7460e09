// The autoscaler over an in-memory cluster (fake_watch_io.h) and fake CPU
// counters: one step per 5 s sample, checking the records it writes and the
// events it logs.

#include "runtime/autoscaler.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fake_watch_io.h"
#include "planner/placement.h"
#include "runtime/watch_tick.h"
#include "tests/planner/desired_fixture.h"
#include "tests/planner/placement_fixture.h"

namespace baton::runtime {
namespace {

using namespace std::chrono_literals;
using planner::testing::Host;
using Strings = std::vector<std::string>;
using testing::FakeStatsSource;
using testing::FakeWatchIo;

// web: 2 replicas of 0.5 CPU each, autoscaled to 50 % of that (25 % of one
// CPU) between 1 and 6 replicas, scaling down after 1 minute.
constexpr char kShop[] = R"(name: shop
services:
  web:
    image: baton/busybox:lab
    deploy:
      replicas: 2
      resources: {reservations: {cpus: '0.5'}}
    x-baton:
      autoscale: {min: 1, max: 6, cpu: 50, stabilization: 1m}
)";

struct Scene {
  FakeWatchIo io;
  FakeStatsSource stats;
  planner::DesiredState desired = planner::testing::Desired(kShop);
  Autoscaler autoscaler{&stats};

  // `up` has run: web-1 on lab1, web-2 on lab2, for an hour; the record is
  // generation 1.
  Scene() {
    io.now = stats.engine_now;
    planner::ActualState empty = planner::testing::Actual({Host("lab1"), Host("lab2")});
    planner::Placement placement = planner::Place(desired, empty);
    io.cluster = planner::testing::Applied(desired, empty, placement);
    for (planner::HostState& host : io.cluster.hosts)
      for (planner::ActualContainer& c : host.containers) c.started_at = FormatRfc3339(io.now - 1h);
    planner::DesiredRecord record =
        planner::MakeRecord(planner::testing::LoadCompose(kShop), desired, {}, placement,
                            io.cluster, nullptr, "test", FormatRfc3339(io.now));
    record.generation = 1;
    io.stored = StoredRecord{record, "sha-1", {"lab1", "lab2"}, {}, false};
  }
  // Every replica of web uses `percent` of one CPU from now on.
  void Load(double percent) {
    stats.percent_of_one_cpu = {{"id-web-1", percent}, {"id-web-2", percent}};
  }
  // One step with the stored record, then 5 s pass. True when it wrote.
  bool Step() {
    AutoscaleInput input{&io.stored->record, &desired, &io.cluster, {}, io.now, "watcher"};
    bool wrote = autoscaler.Step(io, input);
    stats.Advance(5s);
    io.now += 5s;
    return wrote;
  }
  // Steps until one writes (true) or `steps` have passed (false).
  bool StepsUntilWrite(int steps) {
    for (int i = 0; i < steps; ++i)
      if (Step()) return true;
    return false;
  }
};

TEST_CASE("autoscaler: a sustained load writes a record scaling up", "[runtime][autoscaler]") {
  Scene scene;
  auto placement = scene.io.stored->record.placement;
  scene.Load(45);  // 90 % of the reservation: ceil(2 * 90 / 50) = 4
  // First reads at 0 s, samples from 5 s on; the 15 s window is full at 20 s.
  CHECK_FALSE(scene.StepsUntilWrite(4));
  CHECK(scene.Step());
  CHECK(scene.io.calls == Strings{"write-record 2"});
  const planner::DesiredRecord& record = scene.io.stored->record;
  CHECK(record.scale.at("web") == planner::ServiceScale{4, 2, planner::ScaleSource::kAutoscale,
                                                        "cpu 90% > 50% for 15s: 2->4"});
  CHECK(record.written_by == "watcher");
  CHECK(record.placement == placement);  // the tick places the new slots
  REQUIRE(scene.io.events.size() == 1);
  const WatchEvent& event = scene.io.events[0];
  CHECK(event.kind == "autoscale");
  CHECK(event.project == "shop");
  CHECK(event.service == "web");
  CHECK(event.message == "cpu 90% > 50% for 15s: 2->4");
  CHECK(event.fields == std::vector<std::pair<std::string, std::string>>{{"from", "2"},
                                                                         {"to", "4"}});
}

TEST_CASE("autoscaler: a dip inside the window does not scale down", "[runtime][autoscaler]") {
  Scene scene;
  scene.Load(25);  // on target
  CHECK_FALSE(scene.StepsUntilWrite(14));
  scene.Load(2.5);  // 5 % of the reservation, for 20 s
  CHECK_FALSE(scene.StepsUntilWrite(4));
  scene.Load(25);
  CHECK_FALSE(scene.StepsUntilWrite(14));
  CHECK(scene.io.calls.empty());
}

TEST_CASE("autoscaler: a low load through the whole window scales down", "[runtime][autoscaler]") {
  Scene scene;
  scene.Load(2.5);  // 5 % of the reservation: ceil(2 * 5 / 50) = 1
  // First reads at 0 s, samples from 5 s on; the 1 min window is full at 65 s.
  CHECK_FALSE(scene.StepsUntilWrite(13));
  CHECK(scene.Step());
  CHECK(scene.io.stored->record.scale.at("web").replicas == 1);
  CHECK(scene.io.stored->record.scale.at("web").reason == "cpu 5% < 50% for 1m: 2->1");
}

TEST_CASE("autoscaler: a count outside min..max is clamped at once", "[runtime][autoscaler]") {
  Scene scene;
  scene.io.stored->record.scale["web"].replicas = 9;
  Autoscaler without_samples(nullptr);
  AutoscaleInput input{&scene.io.stored->record, &scene.desired, &scene.io.cluster, {},
                       scene.io.now, "watcher"};
  CHECK(without_samples.Step(scene.io, input));
  CHECK(scene.io.calls == Strings{"write-record 2"});
  CHECK(scene.io.stored->record.scale.at("web").replicas == 6);
  CHECK(scene.io.stored->record.scale.at("web").reason == "outside min 1 and max 6: 9->6");
  CHECK(scene.io.EventKinds() == "autoscale");
}

TEST_CASE("autoscaler: a stopped service is not scaled", "[runtime][autoscaler]") {
  Scene scene;
  scene.io.stored->record.scale["web"].replicas = 9;
  scene.io.stored->record.stopped = {"web"};
  scene.Load(45);
  CHECK_FALSE(scene.StepsUntilWrite(6));
  CHECK(scene.stats.reads.empty());
}

TEST_CASE("autoscaler: samples are read every 5 s, not every step", "[runtime][autoscaler]") {
  Scene scene;
  scene.Load(25);
  AutoscaleInput input{&scene.io.stored->record, &scene.desired, &scene.io.cluster, {},
                       scene.io.now, "watcher"};
  scene.autoscaler.Step(scene.io, input);
  input.now += 4s;
  scene.autoscaler.Step(scene.io, input);
  CHECK(scene.stats.reads.size() == 2);
  CHECK(scene.autoscaler.next_sample() == scene.io.now + 5s);
  input.now += 1s;
  scene.autoscaler.Step(scene.io, input);
  CHECK(scene.stats.reads.size() == 4);
}

TEST_CASE("autoscaler: a gap in the samples starts the history over", "[runtime][autoscaler]") {
  Scene scene;
  scene.Load(45);
  CHECK_FALSE(scene.StepsUntilWrite(3));  // samples at 5 s and 10 s
  // No step for a minute (the lease was lost): one sample after it is not
  // a sustained load; a full window after it is.
  scene.stats.Advance(60s);
  scene.io.now += 60s;
  CHECK_FALSE(scene.StepsUntilWrite(3));
  CHECK(scene.Step());
}

}  // namespace
}  // namespace baton::runtime
