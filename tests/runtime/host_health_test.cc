#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "docker_server_fake.h"
#include "runtime/host_health_rules.h"
#include "runtime/host_monitor.h"

namespace baton::runtime {
namespace {

using namespace std::chrono_literals;
using testing::FakeDockerServer;

const MonitorOptions kDefaults;  // heartbeat 5 s, grace 10 s, ping timeout 2 s

TEST_CASE("host monitor: down after grace without a success, up after two",
          "[runtime][monitor]") {
  MonitorClock::time_point t0{};
  HealthTracker tracker(t0);
  tracker.Success(t0);
  for (auto at : {1s, 5s})
    tracker.Failure(t0 + at);
  CHECK_FALSE(tracker.Judge(t0 + 6s, kDefaults));
  CHECK(tracker.health() == HostHealth::kUp);
  CHECK(tracker.Judge(t0 + 7s, kDefaults));
  CHECK(tracker.health() == HostHealth::kSuspect);
  tracker.Failure(t0 + 9999ms);
  CHECK_FALSE(tracker.Judge(t0 + 9999ms, kDefaults));
  CHECK(tracker.Judge(t0 + 10s, kDefaults));
  CHECK(tracker.health() == HostHealth::kDown);
  CHECK(tracker.since() == t0 + 10s);

  tracker.Success(t0 + 15s);  // one answer after Down may be a flap
  CHECK_FALSE(tracker.Judge(t0 + 15s, kDefaults));
  CHECK(tracker.health() == HostHealth::kDown);
  tracker.Success(t0 + 16s);
  CHECK(tracker.Judge(t0 + 16s, kDefaults));
  CHECK(tracker.health() == HostHealth::kUp);
}

TEST_CASE("host monitor: a failure between two successes after down keeps it down",
          "[runtime][monitor]") {
  MonitorClock::time_point t0{};
  CHECK(JudgeHost(t0, 1, true, t0 + 1s, kDefaults) == HostHealth::kDown);
  CHECK(JudgeHost(t0, 0, true, t0 + 1s, kDefaults) == HostHealth::kDown);
  CHECK(JudgeHost(t0, 2, true, t0 + 1s, kDefaults) == HostHealth::kUp);
  CHECK(JudgeHost(t0, 2, false, t0 + 8s, kDefaults) == HostHealth::kSuspect);
}

TEST_CASE("host monitor: the next change is due at the end of the up window, then grace",
          "[runtime][monitor]") {
  MonitorClock::time_point t0{};
  HealthTracker tracker(t0);
  CHECK(tracker.NextChange(kDefaults) == t0 + 7s);
  tracker.Judge(t0 + 7s, kDefaults);
  CHECK(tracker.NextChange(kDefaults) == t0 + 10s);
  tracker.Judge(t0 + 10s, kDefaults);
  CHECK(tracker.NextChange(kDefaults) == MonitorClock::time_point::max());
}

// Polls `ready` every 20 ms for up to `limit`.
template <typename Pred>
bool Eventually(Pred ready, std::chrono::milliseconds limit = 5000ms) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return ready();
}

TEST_CASE("host monitor: an engine that goes away turns down, and its return is reconnected",
          "[runtime][monitor]") {
  auto server = std::make_unique<FakeDockerServer>();
  std::mutex mu;
  std::string socket = server->socket_path();
  HostConnector connect = [&](const transport::HostConfig& config) {
    transport::HostConfig local = config;
    {
      std::lock_guard lock(mu);
      local.socket = socket;
    }
    transport::SshOptions ssh;
    ssh.connect_timeout = 500ms;
    return ConnectHost(local, ssh, 1000ms);
  };
  MonitorOptions options;
  options.heartbeat = 100ms;
  options.grace = 400ms;
  options.ping_timeout = 100ms;
  options.reconnect_min = 50ms;
  options.reconnect_max = 200ms;
  transport::HostConfig host;
  host.name = "lab1";
  auto monitor = HostMonitor::Start({host}, connect, options, [] {});
  REQUIRE(monitor->Views().at(0).health == HostHealth::kUp);
  REQUIRE(monitor->Snapshot().hosts().at(0).reachable());
  std::shared_ptr<DockerClient> first = monitor->Docker("lab1");

  server.reset();  // the engine goes away
  REQUIRE(Eventually([&] { return monitor->Views().at(0).health == HostHealth::kDown; }));
  CHECK_FALSE(monitor->Snapshot().hosts().at(0).reachable());
  CHECK(monitor->Views().at(0).error.has_value());

  server = std::make_unique<FakeDockerServer>();
  {
    std::lock_guard lock(mu);
    socket = server->socket_path();
  }
  REQUIRE(Eventually([&] { return monitor->Views().at(0).health == HostHealth::kUp; }));
  HostPool pool = monitor->Snapshot();
  REQUIRE(pool.hosts().at(0).reachable());
  CHECK(pool.hosts().at(0).docker != first);  // a new link, the old one still valid
  CHECK(pool.hosts().at(0).docker->Ping().ok());
  CHECK_FALSE(monitor->Views().at(0).error.has_value());
}

}  // namespace
}  // namespace baton::runtime
