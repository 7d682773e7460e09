// The autoscaler's CPU samples: the per-replica math, the replicas it
// ignores, and a service's mean over a fake engine (fake_watch_io.h).

#include "runtime/cpu_sampler.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fake_watch_io.h"
#include "runtime/watch_tick.h"
#include "tests/planner/desired_fixture.h"
#include "tests/planner/placement_fixture.h"

namespace baton::runtime {
namespace {

using namespace std::chrono_literals;
using planner::testing::Host;
using Strings = std::vector<std::string>;
using testing::FakeStatsSource;

constexpr char kStarted[] = "2026-11-29T05:00:00Z";

// A read at `at` (RFC 3339) after `cpu_ns` of the container's CPU time,
// on an engine with 4 CPUs whose CPU time is `system_ns`.
ContainerStats Read(const std::string& at, uint64_t cpu_ns, uint64_t system_ns) {
  ContainerStats stats;
  stats.read = at;
  stats.cpu_total_ns = cpu_ns;
  stats.system_cpu_ns = system_ns;
  stats.online_cpus = 4;
  return stats;
}

TEST_CASE("cpu sampler: a replica's use is in percent of its base cpus", "[runtime][cpu-sampler]") {
  // Over 5 s the engine's 4 CPUs ran 20 s; the container used 1 s, i.e. 20 %
  // of one CPU, which is 40 % of a 0.5 CPU reservation.
  ContainerStats before = Read("2026-11-29T05:01:00Z", 1000000000, 100000000000);
  ContainerStats after = Read("2026-11-29T05:01:05Z", 2000000000, 120000000000);
  std::optional<double> util = ReplicaUtilPercent(&before, after, kStarted, 0.5);
  REQUIRE(util);
  CHECK(*util == Approx(40));
}

TEST_CASE("cpu sampler: the first read of a replica gives no sample", "[runtime][cpu-sampler]") {
  ContainerStats after = Read("2026-11-29T05:01:05Z", 2000000000, 120000000000);
  CHECK_FALSE(ReplicaUtilPercent(nullptr, after, kStarted, 0.5));
}

TEST_CASE("cpu sampler: a replica started less than 30 s before the read is ignored",
          "[runtime][cpu-sampler]") {
  ContainerStats before = Read("2026-11-29T05:00:20Z", 1000000000, 100000000000);
  ContainerStats at_29s = Read("2026-11-29T05:00:29.999Z", 2000000000, 120000000000);
  ContainerStats at_30s = Read("2026-11-29T05:00:30Z", 2000000000, 120000000000);
  CHECK_FALSE(ReplicaUtilPercent(&before, at_29s, kStarted, 0.5));
  CHECK(ReplicaUtilPercent(&before, at_30s, kStarted, 0.5));
}

TEST_CASE("cpu sampler: a shorter warm-up (watch --autoscale-warmup) counts a younger replica",
          "[runtime][cpu-sampler]") {
  ContainerStats before = Read("2026-11-29T05:00:01Z", 1000000000, 100000000000);
  ContainerStats at_4s = Read("2026-11-29T05:00:04.999Z", 2000000000, 120000000000);
  ContainerStats at_5s = Read("2026-11-29T05:00:05Z", 2000000000, 120000000000);
  CHECK_FALSE(ReplicaUtilPercent(&before, at_4s, kStarted, 0.5, 5s));
  CHECK(ReplicaUtilPercent(&before, at_5s, kStarted, 0.5, 5s));
  CHECK_FALSE(ReplicaUtilPercent(&before, at_5s, kStarted, 0.5));  // the default 30 s
}

TEST_CASE("cpu sampler: a read from before the replica's current run is ignored",
          "[runtime][cpu-sampler]") {
  // The container restarted at 05:00:00; its counters started over.
  ContainerStats before = Read("2026-11-29T04:59:58Z", 9000000000, 100000000000);
  ContainerStats after = Read("2026-11-29T05:01:00Z", 1000000000, 120000000000);
  CHECK_FALSE(ReplicaUtilPercent(&before, after, kStarted, 0.5));
}

constexpr char kShop[] = R"(name: shop
services:
  web:
    image: baton/busybox:lab
    deploy:
      replicas: 4
      resources: {reservations: {cpus: '0.5'}}
    x-baton:
      autoscale: {min: 1, max: 8, cpu: 50}
  db:
    image: baton/busybox:lab
)";

// web-1..4 and db-1 running for an hour on lab1 (1, 3 and db) and lab2.
planner::ActualState Running(const planner::DesiredState& desired, const FakeStatsSource& stats) {
  planner::ActualState actual = planner::testing::Actual({Host("lab1"), Host("lab2")});
  for (int slot = 1; slot <= 4; ++slot) {
    planner::ActualContainer c = planner::testing::Replica(*desired.FindService("web"), slot);
    c.started_at = FormatRfc3339(stats.engine_now - 1h);
    actual.hosts[slot % 2 == 1 ? 0 : 1].containers.push_back(c);
  }
  planner::ActualContainer db = planner::testing::Replica(*desired.FindService("db"), 1);
  db.started_at = FormatRfc3339(stats.engine_now - 1h);
  actual.hosts[0].containers.push_back(db);
  return actual;
}

TEST_CASE("cpu sampler: a service's load is the mean of its replicas with two reads",
          "[runtime][cpu-sampler]") {
  planner::DesiredState desired = planner::testing::Desired(kShop);
  FakeStatsSource stats;
  // Percent of one CPU; of the 0.5 reservation that is 40 % and 80 %. web-3
  // has no stats (a missing sample), web-4 is unhealthy.
  stats.percent_of_one_cpu = {{"id-web-1", 20}, {"id-web-2", 40}, {"id-web-4", 45},
                              {"id-db-1", 90}};
  planner::ActualState actual = Running(desired, stats);
  actual.hosts[1].containers[1].health = "unhealthy";
  CpuSampler sampler(stats);
  CHECK(sampler.Sample(desired, actual, {}).empty());  // first reads: no pairs yet
  stats.Advance(5s);
  std::map<std::string, ServiceLoad> loads = sampler.Sample(desired, actual, {});
  REQUIRE(loads.size() == 1);
  CHECK(loads["web"].replicas == 2);
  CHECK(loads["web"].mean_percent == Approx(60));
  CHECK(stats.reads == Strings{"lab1 id-web-1", "lab1 id-web-3", "lab2 id-web-2",
                               "lab1 id-web-1", "lab1 id-web-3", "lab2 id-web-2"});
}

TEST_CASE("cpu sampler: the warm-up it is given decides which young replicas count",
          "[runtime][cpu-sampler]") {
  planner::DesiredState desired = planner::testing::Desired(kShop);
  FakeStatsSource stats;
  stats.percent_of_one_cpu = {{"id-web-1", 20}, {"id-web-2", 40}};
  planner::ActualState actual = Running(desired, stats);
  for (planner::HostState& host : actual.hosts)
    for (planner::ActualContainer& c : host.containers)
      c.started_at = FormatRfc3339(stats.engine_now - 10s);
  CpuSampler by_default(stats);
  CpuSampler after_10s(stats, 10s);
  by_default.Sample(desired, actual, {});
  after_10s.Sample(desired, actual, {});
  stats.Advance(5s);  // the replicas ran 15 s
  CHECK(by_default.Sample(desired, actual, {}).empty());
  std::map<std::string, ServiceLoad> loads = after_10s.Sample(desired, actual, {});
  CHECK(loads["web"].replicas == 2);
  CHECK(loads["web"].mean_percent == Approx(60));
}

TEST_CASE("cpu sampler: frozen and unreachable hosts are not read", "[runtime][cpu-sampler]") {
  planner::DesiredState desired = planner::testing::Desired(kShop);
  FakeStatsSource stats;
  stats.percent_of_one_cpu = {{"id-web-1", 20}, {"id-web-2", 40}};
  planner::ActualState actual = Running(desired, stats);
  actual.hosts[1].reachable = false;
  CpuSampler sampler(stats);
  sampler.Sample(desired, actual, {"lab1"});
  CHECK(stats.reads.empty());
}

}  // namespace
}  // namespace baton::runtime
