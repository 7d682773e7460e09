// Round trip of the cheapest Docker API call, GET /_ping, over one socket:
// the figure to compare a local engine socket with the local end of an SSH
// tunnel to a remote one. Calls reuse one connection, as DockerClient does.
//
// Usage: docker_ping_bench SOCKET [runs=100]
// Prints the median (and min, p90, max) in microseconds; exits 1 if a ping fails.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/docker_client.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: docker_ping_bench SOCKET [runs=100]\n");
    return 2;
  }
  int runs = argc == 3 ? std::atoi(argv[2]) : 100;
  if (runs <= 0) {
    std::fprintf(stderr, "docker_ping_bench: runs must be a positive number\n");
    return 2;
  }
  baton::runtime::DockerOptions options;
  options.socket_path = argv[1];
  auto docker = baton::runtime::DockerClient::Connect(options);
  if (!docker.ok()) {
    std::fprintf(stderr, "docker_ping_bench: %s\n", docker.error().ToString().c_str());
    return 1;
  }
  std::vector<double> micros;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    baton::Status pong = docker->Ping();
    auto end = std::chrono::steady_clock::now();
    if (!pong.ok()) {
      std::fprintf(stderr, "docker_ping_bench: %s\n", pong.error().ToString().c_str());
      return 1;
    }
    micros.push_back(std::chrono::duration<double, std::micro>(end - start).count());
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[static_cast<std::size_t>(q * (micros.size() - 1))]; };
  std::printf(
      "docker /_ping over %s: median %.0f us (min %.0f, p90 %.0f, max %.0f; %d runs, "
      "api %s)\n",
      argv[1], at(0.5), micros.front(), at(0.9), micros.back(), runs,
      docker->api_version().ToString().c_str());
  return 0;
}
