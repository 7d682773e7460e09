// What `baton hosts check` costs, over the hosts of a hosts file (the lab's,
// after `baton lab up 3`):
//   1. the wall time of checking every host at once, against the slowest
//      single host checked alone (parallel checking should cost about that);
//   2. the median GET /_ping through the SSH tunnel of the first host,
//      against the same engine's socket reached directly (--local-socket;
//      the lab's is $BATON_LAB_DIR/hosts/lab1/run/docker.sock).
//
// Usage: hosts_check_bench [--hosts FILE] [--local-socket PATH] [--runs N]
// The hosts file defaults to $BATON_HOSTS, the local socket to the lab's for
// the first host. Prints medians in milliseconds; exits 1 if a check fails.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/host_options.h"
#include "cli/hosts_command.h"
#include "runtime/docker_client.h"
#include "transport/host_connection.h"

namespace {

using Clock = std::chrono::steady_clock;
using baton::transport::HostConfig;

struct BenchOptions {
  std::string hosts_file;
  std::string local_socket;
  int runs = 20;
};

double Millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

bool ParseArgs(int argc, char** argv, BenchOptions& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--hosts")
      options.hosts_file = argv[i + 1];
    else if (flag == "--local-socket")
      options.local_socket = argv[i + 1];
    else if (flag == "--runs")
      options.runs = std::atoi(argv[i + 1]);
    else
      return false;
  }
  return argc % 2 == 1 && options.runs > 0;
}

// Times one CheckHosts call; false if any host failed.
bool TimeCheck(const std::vector<HostConfig>& hosts, const baton::transport::SshOptions& ssh,
               double& millis) {
  Clock::time_point start = Clock::now();
  std::vector<baton::cli::HostCheck> checks = baton::cli::CheckHosts(hosts, ssh);
  millis = Millis(Clock::now() - start);
  for (const auto& check : checks) {
    if (!check.reachable) {
      std::fprintf(stderr, "hosts_check_bench: %s\n", check.error.c_str());
      return false;
    }
  }
  return true;
}

bool BenchCheck(const std::vector<HostConfig>& hosts, const baton::transport::SshOptions& ssh,
                int runs) {
  std::vector<double> all, slowest_single;
  for (int run = 0; run < runs; ++run) {
    double millis = 0, slowest = 0;
    if (!TimeCheck(hosts, ssh, millis)) return false;
    all.push_back(millis);
    for (const HostConfig& host : hosts) {
      if (!TimeCheck({host}, ssh, millis)) return false;
      slowest = std::max(slowest, millis);
    }
    slowest_single.push_back(slowest);
  }
  std::printf("hosts check, %zu hosts at once:  median %.1f ms\n", hosts.size(), Median(all));
  std::printf("slowest single host checked alone: median %.1f ms\n", Median(slowest_single));
  return true;
}

// Median of `runs` pings through `socket`, on one reused connection.
bool MedianPing(const std::string& socket, int runs, double& median) {
  baton::runtime::DockerOptions options;
  options.socket_path = socket;
  auto docker = baton::runtime::DockerClient::Connect(options);
  if (!docker.ok()) {
    std::fprintf(stderr, "hosts_check_bench: %s\n", docker.error().ToString().c_str());
    return false;
  }
  std::vector<double> millis;
  for (int i = 0; i < runs; ++i) {
    Clock::time_point start = Clock::now();
    baton::Status pong = docker->Ping();
    millis.push_back(Millis(Clock::now() - start));
    if (!pong.ok()) {
      std::fprintf(stderr, "hosts_check_bench: %s\n", pong.error().ToString().c_str());
      return false;
    }
  }
  median = Median(millis);
  return true;
}

bool BenchPing(const HostConfig& host, const baton::transport::SshOptions& ssh,
               const std::string& local_socket, int runs) {
  auto connection = baton::transport::HostConnection::Open(host, ssh);
  if (!connection.ok()) {
    std::fprintf(stderr, "hosts_check_bench: %s\n", connection.error().ToString().c_str());
    return false;
  }
  double tunnel = 0, local = 0;
  if (!MedianPing((*connection)->socket_path().string(), runs * 10, tunnel)) return false;
  std::printf("/_ping through the ssh tunnel to %s: median %.3f ms\n", host.name.c_str(), tunnel);
  if (local_socket.empty()) return true;
  if (!MedianPing(local_socket, runs * 10, local)) return false;
  std::printf("/_ping on %s directly:  median %.3f ms\n", local_socket.c_str(), local);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  if (!ParseArgs(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: hosts_check_bench [--hosts FILE] [--local-socket PATH] [--runs N]\n");
    return 2;
  }
  baton::cli::HostOptions flags;
  flags.hosts_file = options.hosts_file;
  auto inventory = baton::cli::SelectHostsFromProcess(flags, "");
  if (!inventory.ok()) {
    std::fprintf(stderr, "hosts_check_bench: %s\n", inventory.error().ToString().c_str());
    return 1;
  }
  auto ssh = baton::cli::MakeSshOptions(flags, inventory->settings);
  if (!ssh.ok()) return 1;
  const HostConfig& first = inventory->hosts.front();
  if (options.local_socket.empty()) {
    const char* lab = std::getenv("BATON_LAB_DIR");
    std::filesystem::path dir = lab != nullptr ? lab : "/var/lib/baton-lab";
    std::filesystem::path socket = dir / "hosts" / first.name / "run" / "docker.sock";
    if (std::filesystem::exists(socket)) options.local_socket = socket.string();
  }
  if (!BenchCheck(inventory->hosts, *ssh, options.runs)) return 1;
  if (!BenchPing(first, *ssh, options.local_socket, options.runs)) return 1;
  return 0;
}
