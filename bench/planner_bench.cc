// Placing a large project: 200 services x 50 replicas (10,000 replicas) on
// 1,000 hosts with zone, disk and arch labels, constraints, spread over
// zones, reservations, published ports and max_replicas_per_node. Times a
// fresh placement and a re-plan of its result (every replica kept).
// Target (issue #4): under 100 ms in a release build.
//
// Usage: planner_bench [services=200] [replicas=50] [hosts=1000] [runs=9]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "planner/placement.h"

namespace {

using baton::planner::ActualContainer;
using baton::planner::ActualState;
using baton::planner::Constraint;
using baton::planner::DesiredState;
using baton::planner::HostState;
using baton::planner::Placement;
using baton::planner::ServiceSpec;

constexpr int64_t kMiB = int64_t{1} << 20;

HostState MakeHost(int i) {
  HostState host;
  host.name = "host" + std::to_string(i);
  host.reachable = i % 97 != 0;
  host.labels = {{"zone", "z" + std::to_string(i % 10)},
                 {"disk", i % 3 == 0 ? "hdd" : "ssd"},
                 {"rack", "r" + std::to_string(i % 40)}};
  host.hostname = host.name + ".example";
  host.os = "linux";
  host.arch = i % 5 == 0 ? "aarch64" : "x86_64";
  host.cpus = 16;
  host.memory = 64 * 1024 * kMiB;
  host.reserved_cpus_elsewhere = (i % 4) * 0.5;
  return host;
}

Constraint Rule(std::string attribute, bool equal, std::string value) {
  std::string text = attribute + (equal ? "==" : "!=") + value;
  return {std::move(attribute), equal, std::move(value), std::move(text)};
}

ServiceSpec MakeService(int i, int replicas) {
  ServiceSpec spec;
  spec.name = "svc" + std::to_string(1000 + i).substr(1);
  spec.service.name = spec.name;
  spec.service.image = "registry.local/" + spec.name + ":1";
  spec.replicas = replicas;
  spec.spec_hash = "hash-" + spec.name;
  if (i % 4 == 0) spec.constraints.push_back(Rule("node.labels.disk", true, "ssd"));
  if (i % 5 == 0) spec.constraints.push_back(Rule("node.platform.arch", true, "amd64"));
  if (i % 7 == 0) spec.constraints.push_back(Rule("node.labels.zone", false, "z3"));
  if (i % 2 == 0) spec.spread = {"node.labels.zone"};
  if (i % 6 == 0) spec.spread.push_back("node.labels.rack");
  if (i % 3 == 0) spec.max_replicas_per_node = 1;
  spec.reserved_cpus = 0.25 * (1 + i % 3);
  spec.reserved_memory = 256 * kMiB * (1 + i % 4);
  if (i % 10 == 0) spec.published_ports = {{"", static_cast<uint32_t>(8000 + i), "tcp"}};
  return spec;
}

// Every assignment becomes a running container with the current spec.
ActualState Applied(ActualState actual, const Placement& placement) {
  std::map<std::string, HostState*> hosts;
  for (HostState& host : actual.hosts) hosts[host.name] = &host;
  for (const auto& a : placement.assignments) {
    ActualContainer c;
    c.name = a.container_name;
    c.service = a.service;
    c.slot = a.slot;
    c.spec_hash = "hash-" + a.service;
    c.state = "running";
    hosts[a.host]->containers.push_back(c);
  }
  return actual;
}

// Median, min and max milliseconds of `runs` calls of `place`.
void Time(const char* what, int runs, const std::function<Placement()>& place) {
  std::vector<double> ms;
  Placement last;
  for (int r = 0; r < runs; ++r) {
    auto start = std::chrono::steady_clock::now();
    last = place();
    auto end = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "planner %s: %zu placed, %zu unplaced: median %.1f ms, min %.1f ms, max %.1f ms "
      "over %d runs\n",
      what, last.assignments.size(), last.unplaced.size(), ms[ms.size() / 2], ms.front(), ms.back(),
      runs);
}

}  // namespace

int main(int argc, char** argv) {
  const int services = argc > 1 ? std::atoi(argv[1]) : 200;
  const int replicas = argc > 2 ? std::atoi(argv[2]) : 50;
  const int hosts = argc > 3 ? std::atoi(argv[3]) : 1000;
  const int runs = argc > 4 ? std::atoi(argv[4]) : 9;
  if (services < 1 || replicas < 0 || hosts < 1 || runs < 1) {
    std::fprintf(stderr, "usage: planner_bench [services] [replicas] [hosts] [runs]\n");
    return 2;
  }
  DesiredState desired;
  desired.project = "bench";
  for (int i = 0; i < services; ++i) desired.services.push_back(MakeService(i, replicas));
  ActualState fresh;
  fresh.project = "bench";
  for (int i = 0; i < hosts; ++i) fresh.hosts.push_back(MakeHost(i));

  Placement first = baton::planner::Place(desired, fresh);
  ActualState running = Applied(fresh, first);
  std::printf("%d replicas of %d services on %d hosts\n", services * replicas, services, hosts);
  Time("fresh", runs, [&] { return baton::planner::Place(desired, fresh); });
  Time("re-plan", runs, [&] { return baton::planner::Place(desired, running); });
  return 0;
}
