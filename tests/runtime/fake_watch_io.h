#pragma once
// An in-memory cluster for the watcher's tests: the engines' state, the
// stored record, host health, the lease and the deploy lock, all set by the
// test; every call that acts is recorded in order ("write-record 3",
// "apply lab2 create shop-web-3", "takeover lab1 id-web-1") and done to the
// cluster the way the engines would.

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "planner/desired_record.h"
#include "runtime/cpu_sampler.h"
#include "runtime/watch_io.h"
#include "runtime/watch_tick.h"
#include "tests/planner/plan_fixture.h"

namespace baton::runtime::testing {

class FakeWatchIo : public WatchIo {
 public:
  // The engines, every host of the hosts file in order.
  planner::ActualState cluster;
  HostConditions conditions;               // a host not named is Up
  std::set<std::string> failing_observe;   // their observation fails this tick
  std::optional<StoredRecord> stored;      // the newest record on the hosts
  bool lease = true;
  std::vector<LockHolder> lock;  // the deploy lock's holders; empty: free
  // Runs inside Observe: what happens while a tick is under way.
  std::function<void()> during_observe;
  WatchClock::time_point now = WatchClock::time_point{} + std::chrono::hours(500000);

  std::vector<std::string> calls;
  std::vector<WatchEvent> events;

  WatchClock::time_point Now() override { return now; }
  HostConditions Hosts() override { return conditions; }
  bool LeaseHeld(const std::string&) override { return lease; }
  Result<std::vector<LockHolder>> DeployLockHolders(const std::string&) override { return lock; }

  Result<std::optional<StoredRecord>> ReadRecord(const std::string&) override { return stored; }
  Result<uint64_t> WriteRecord(const planner::DesiredRecord& record) override {
    uint64_t generation = (stored ? stored->record.generation : 0) + 1;
    stored = StoredRecord{record, "sha-" + std::to_string(generation), {}, {}, false};
    stored->record.generation = generation;
    calls.push_back("write-record " + std::to_string(generation));
    return generation;
  }
  Status CopyRecord(const planner::DesiredRecord& record,
                    const std::vector<std::string>& hosts) override {
    for (const std::string& host : hosts)
      calls.push_back("copy-record " + std::to_string(record.generation) + " " + host);
    return Status::Ok();
  }

  planner::ActualState Observe(const planner::DesiredState&) override {
    if (during_observe) during_observe();
    planner::ActualState seen = cluster;
    for (planner::HostState& host : seen.hosts) {
      if (Condition(host.name) != HostCondition::kDown && !failing_observe.count(host.name))
        continue;
      host = planner::testing::Host(host.name);
      host.reachable = false;
      host.error = "host " + host.name + ": timed out";
    }
    return seen;
  }
  Status Apply(const planner::Plan& plan, const planner::DesiredState& desired,
               std::stop_token) override {
    for (const planner::Action& a : plan.actions) {
      calls.push_back("apply " + a.host + " " + planner::ActionKindName(a.kind) + " " + a.name);
      planner::HostState* host = planner::testing::HostNamed(cluster, a.host);
      REQUIRE(host != nullptr);
      planner::testing::RunAction(desired, *host, a, false);
      if (a.kind == planner::ActionKind::kCreateContainer ||
          a.kind == planner::ActionKind::kRecreateContainer)
        Created(desired, *host, a.name);
    }
    return Status::Ok();
  }

  Status TakeOver(const std::string& host, const std::string& id) override {
    calls.push_back("takeover " + host + " " + id);
    planner::ActualContainer& c = Container(host, id);
    c.restart_policy = "no";
    c.state = "exited";
    return Status::Ok();
  }
  Status Restore(const std::string& host, const std::string& id,
                 const std::string& policy) override {
    calls.push_back("restore " + host + " " + id + " " + policy);
    Container(host, id).restart_policy = policy;
    return Status::Ok();
  }
  Status Start(const std::string& host, const std::string& id) override {
    calls.push_back("start " + host + " " + id);
    Container(host, id).state = "running";
    return Status::Ok();
  }
  void Notify(const WatchEvent& event) override { events.push_back(event); }

  // A new container has the engine policy and label of its service's restart.
  void Created(const planner::DesiredState& desired, planner::HostState& host,
               const std::string& name) {
    for (planner::ActualContainer& c : host.containers) {
      if (c.name != name) continue;
      c.restart_policy = c.intended_restart = desired.FindService(c.service)->service.restart;
      c.started_at = FormatRfc3339(now);
    }
  }

  // The kinds of the events so far, in order: "paused host-down failover".
  std::string EventKinds() const {
    std::string kinds;
    for (const WatchEvent& e : events) kinds += (kinds.empty() ? "" : " ") + e.kind;
    return kinds;
  }
  HostCondition Condition(const std::string& host) const {
    auto it = conditions.find(host);
    return it == conditions.end() ? HostCondition::kUp : it->second;
  }
  planner::ActualContainer& Container(const std::string& host, const std::string& id) {
    planner::HostState* state = planner::testing::HostNamed(cluster, host);
    REQUIRE(state != nullptr);
    auto it = std::find_if(state->containers.begin(), state->containers.end(),
                           [&](const planner::ActualContainer& c) { return c.id == id; });
    REQUIRE(it != state->containers.end());
    return *it;
  }
};

// Engines' CPU counters for the autoscaler's tests: each container uses a set
// share of a CPU; Advance() moves every counter on by some seconds, and a
// read returns the counters and the time then. A container without a load
// answers kNotFound (a missing sample).
class FakeStatsSource : public StatsSource {
 public:
  static constexpr uint32_t kOnlineCpus = 4;
  std::map<std::string, double> percent_of_one_cpu;  // by container id
  WatchClock::time_point engine_now = WatchClock::from_time_t(1795000000);
  std::vector<std::string> reads;  // "lab1 id-web-1", in order

  void Advance(std::chrono::seconds by) {
    for (const auto& [id, percent] : percent_of_one_cpu)
      cpu_ns_[id] += static_cast<uint64_t>(percent / 100 * Nanos(by));
    system_ns_ += kOnlineCpus * Nanos(by);
    engine_now += by;
  }
  Result<ContainerStats> ReadStats(const std::string& host, const std::string& id) override {
    reads.push_back(host + " " + id);
    if (!percent_of_one_cpu.count(id)) return Error::NotFound("container " + id, "no such container");
    ContainerStats stats;
    stats.read = FormatRfc3339(engine_now);
    stats.cpu_total_ns = cpu_ns_[id];
    stats.system_cpu_ns = system_ns_;
    stats.online_cpus = kOnlineCpus;
    return stats;
  }

 private:
  static uint64_t Nanos(std::chrono::seconds s) {
    return static_cast<uint64_t>(std::chrono::nanoseconds(s).count());
  }
  std::map<std::string, uint64_t> cpu_ns_;
  uint64_t system_ns_ = 1000000000000;
};

}  // namespace baton::runtime::testing
