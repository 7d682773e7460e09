#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <string>

#include "runtime/metrics.h"
#include "runtime/metrics_server.h"

namespace baton::runtime {
namespace {

TEST_CASE("metrics: text format with HELP, TYPE, escaped labels and histogram buckets",
          "[runtime][metrics]") {
  MetricsRegistry registry;
  registry.DeclareCounter("baton_watch_restarts_total", "Replicas the watcher restarted.");
  registry.DeclareGauge("baton_watch_host_up", "1 while the host is up.");
  registry.DeclareHistogram("baton_watch_reconcile_duration_seconds", "Tick duration.",
                            {0.1, 1});
  registry.Increment("baton_watch_restarts_total", {{"service", "web"}, {"project", "shop"}});
  registry.Increment("baton_watch_restarts_total", {{"project", "shop"}, {"service", "web"}}, 2);
  registry.SetGauge("baton_watch_host_up", {{"host", "a\\b\"c\nd"}}, 1);
  registry.Observe("baton_watch_reconcile_duration_seconds", {}, 0.0625);
  registry.Observe("baton_watch_reconcile_duration_seconds", {}, 0.5);
  registry.Observe("baton_watch_reconcile_duration_seconds", {}, 2.25);
  CHECK(RenderPrometheus(registry) ==
        "# HELP baton_watch_host_up 1 while the host is up.\n"
        "# TYPE baton_watch_host_up gauge\n"
        "baton_watch_host_up{host=\"a\\\\b\\\"c\\nd\"} 1\n"
        "# HELP baton_watch_reconcile_duration_seconds Tick duration.\n"
        "# TYPE baton_watch_reconcile_duration_seconds histogram\n"
        "baton_watch_reconcile_duration_seconds_bucket{le=\"0.1\"} 1\n"
        "baton_watch_reconcile_duration_seconds_bucket{le=\"1\"} 2\n"
        "baton_watch_reconcile_duration_seconds_bucket{le=\"+Inf\"} 3\n"
        "baton_watch_reconcile_duration_seconds_sum 2.8125\n"
        "baton_watch_reconcile_duration_seconds_count 3\n"
        "# HELP baton_watch_restarts_total Replicas the watcher restarted.\n"
        "# TYPE baton_watch_restarts_total counter\n"
        "baton_watch_restarts_total{project=\"shop\",service=\"web\"} 3\n");
}

TEST_CASE("metrics: a histogram's labels come before le", "[runtime][metrics]") {
  MetricsRegistry registry;
  registry.DeclareHistogram("d_seconds", "", {1});
  registry.Observe("d_seconds", {{"project", "shop"}}, 1);
  CHECK(RenderPrometheus(registry) ==
        "# TYPE d_seconds histogram\n"
        "d_seconds_bucket{project=\"shop\",le=\"1\"} 1\n"
        "d_seconds_bucket{project=\"shop\",le=\"+Inf\"} 1\n"
        "d_seconds_sum{project=\"shop\"} 1\n"
        "d_seconds_count{project=\"shop\"} 1\n");
}

TEST_CASE("metrics: a counter never goes down and a removed series is gone",
          "[runtime][metrics]") {
  MetricsRegistry registry;
  registry.Increment("x_total", {{"a", "1"}}, 2);
  registry.Increment("x_total", {{"a", "1"}}, -1);
  CHECK(registry.Value("x_total", {{"a", "1"}}) == 2);
  registry.SetGauge("x_total", {{"a", "1"}}, 7);  // wrong type: ignored
  CHECK(registry.Value("x_total", {{"a", "1"}}) == 2);
  registry.Remove("x_total", {{"a", "1"}});
  CHECK_FALSE(registry.Value("x_total", {{"a", "1"}}).has_value());
}

TEST_CASE("metrics: process memory and cpu come from /proc/self", "[runtime][metrics]") {
  // Spend a few clock ticks of CPU, so the process has a measurable total.
  volatile double sink = 0;
  for (std::clock_t start = std::clock(); std::clock() - start < CLOCKS_PER_SEC / 20;) sink = sink + 1;
  ProcessSample sample = ReadProcessSample();
  CHECK(sample.resident_memory_bytes > 1024 * 1024);
  CHECK(sample.cpu_seconds > 0);
  CHECK(RenderProcessMetrics({2048, 1.5}) ==
        "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
        "# TYPE process_resident_memory_bytes gauge\n"
        "process_resident_memory_bytes 2048\n"
        "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
        "# TYPE process_cpu_seconds_total counter\n"
        "process_cpu_seconds_total 1.5\n");
}

// Sends `request` to 127.0.0.1:port and returns everything the server answers.
std::string Fetch(uint16_t port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
    answer.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  return answer;
}

TEST_CASE("metrics server: GET /metrics answers the text format, other paths 404",
          "[runtime][metrics]") {
  MetricsRegistry registry;
  registry.DeclareGauge("baton_watch_lease_held", "1 while this watcher holds the lease.");
  registry.SetGauge("baton_watch_lease_held", {{"project", "shop"}}, 1);
  auto server = MetricsServer::Start("127.0.0.1:0", registry);
  REQUIRE(server.ok());
  uint16_t port = (*server)->port();
  REQUIRE(port != 0);

  std::string ok = Fetch(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(ok.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(ok.find("Content-Type: text/plain; version=0.0.4") != std::string::npos);
  CHECK(ok.find("\r\n\r\n# HELP baton_watch_lease_held") != std::string::npos);
  CHECK(ok.find("baton_watch_lease_held{project=\"shop\"} 1\n") != std::string::npos);
  CHECK(ok.find("process_resident_memory_bytes ") != std::string::npos);

  CHECK(Fetch(port, "GET / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 Not Found\r\n"));
  CHECK(Fetch(port, "POST /metrics HTTP/1.1\r\n\r\n")
            .starts_with("HTTP/1.1 405 Method Not Allowed\r\n"));
}

TEST_CASE("metrics server: a malformed or taken address fails to start", "[runtime][metrics]") {
  MetricsRegistry registry;
  auto bad = MetricsServer::Start("localhost:9479", registry);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().ToString() ==
        "metrics address \"localhost:9479\": \"localhost\" is not an IPv4 address");
  auto first = MetricsServer::Start("127.0.0.1:0", registry);
  REQUIRE(first.ok());
  std::string taken = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = MetricsServer::Start(taken, registry);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().kind == Error::Kind::kUnreachable);
  CHECK(second.error().ToString() == "listen on " + taken + ": Address already in use");
}

}  // namespace
}  // namespace baton::runtime
