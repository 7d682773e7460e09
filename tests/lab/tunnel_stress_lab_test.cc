// Many concurrent Docker API calls through each host's SSH tunnel: every
// call must finish promptly. A relay that misses bytes libssh has already
// read for its channel leaves its client waiting for the whole call timeout
// (seen once as a lab host taken for unreachable under load). Run by the lab
// fixture (see tests/lab/CMakeLists.txt); it creates nothing on the hosts.

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lab_fixture.h"
#include "runtime/host_pool.h"

namespace baton::lab_test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kThreadsPerHost = 16;
constexpr int kCallsPerThread = 200;
// Far above a call's real cost even on a busy machine, far below the
// call timeout a stalled relay would run into.
constexpr auto kSlowCall = std::chrono::seconds(5);
constexpr auto kCallTimeout = std::chrono::seconds(10);

struct Outcome {
  std::mutex mutex;
  std::vector<std::string> failures;
  Clock::duration slowest{};

  void Record(const std::string& host, Clock::duration took, const Status& status) {
    std::lock_guard<std::mutex> lock(mutex);
    slowest = std::max(slowest, took);
    if (!status.ok()) failures.push_back(host + ": " + status.error().ToString());
    else if (took > kSlowCall)
      failures.push_back(host + ": a call took " +
                         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(took)
                                            .count()) +
                         " ms");
  }
};

// One call, alternating between a tiny response and a larger one.
Status OneCall(runtime::DockerClient& docker, int i) {
  if (i % 2 == 0) return docker.Ping();
  auto list = docker.ListContainers(true);
  return list.ok() ? Status::Ok() : Status(list.error());
}

// Sequential calls on the host's shared client; every fourth thread also
// opens a client of its own now and then, so that local connections come
// and go while the others keep theirs alive.
void Hammer(runtime::HostHandle& host, int thread, Outcome& outcome) {
  for (int i = 0; i < kCallsPerThread; ++i) {
    Clock::time_point start = Clock::now();
    Status status = Status::Ok();
    if (thread % 4 == 3 && i % 5 == 0) {
      runtime::DockerOptions options;
      options.host = host.config.name;
      options.socket_path = host.connection->socket_path().string();
      options.call_timeout = kCallTimeout;
      auto fresh = runtime::DockerClient::Connect(options);
      status = fresh.ok() ? OneCall(*fresh, i) : Status(fresh.error());
    } else {
      status = OneCall(*host.docker, i);
    }
    outcome.Record(host.config.name, Clock::now() - start, status);
  }
}

TEST_CASE("tunnel: many concurrent calls through every host's tunnel all finish promptly",
          "[lab][tunnel]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  runtime::HostPool pool = runtime::HostPool::Open(lab->hosts, lab->ssh, kCallTimeout);
  for (const runtime::HostHandle& host : pool.hosts()) REQUIRE(host.reachable());
  Outcome outcome;
  {
    std::vector<std::jthread> threads;
    for (runtime::HostHandle& host : pool.hosts())
      for (int t = 0; t < kThreadsPerHost; ++t)
        threads.emplace_back([&host, t, &outcome] { Hammer(host, t, outcome); });
  }
  INFO("slowest call: "
       << std::chrono::duration_cast<std::chrono::milliseconds>(outcome.slowest).count() << " ms");
  CHECK(outcome.failures.empty());
  for (size_t i = 0; i < std::min<size_t>(outcome.failures.size(), 5); ++i)
    WARN(outcome.failures[i]);
  for (const runtime::HostHandle& host : pool.hosts()) CHECK(host.connection->Health().ok());
}

}  // namespace
}  // namespace baton::lab_test
