#pragma once
// Random desired and actual states from a seed, for property tests: up to 8
// services (s0..s7) and 2 to 10 hosts, with labels, capacities, ports,
// volumes, constraints, spread, affinity, and some replicas already running.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tests/planner/placement_fixture.h"

namespace baton::planner::testing {

constexpr int64_t kMiB = int64_t{1} << 20;

// std::mt19937 is specified exactly, unlike the standard distributions, so
// the inputs are the same on every standard library.
class Random {
 public:
  explicit Random(uint32_t seed) : engine_(seed) {}
  size_t Below(size_t n) { return engine_() % n; }
  bool Chance(int percent) { return Below(100) < static_cast<size_t>(percent); }
  template <typename T>
  const T& Pick(const std::vector<T>& from) {
    return from[Below(from.size())];
  }

 private:
  std::mt19937 engine_;
};

inline HostState RandomHost(Random& r, int index) {
  HostState host = Host("h" + std::to_string(index));
  if (!r.Chance(15)) host.labels["zone"] = r.Pick<std::string>({"a", "b", "c"});
  if (r.Chance(50)) host.labels["disk"] = r.Pick<std::string>({"ssd", "hdd"});
  host.arch = r.Pick<std::string>({"x86_64", "x86_64", "aarch64"});
  host.reachable = !r.Chance(10);
  host.cpus = r.Pick<double>({0, 2, 4, 8});
  host.memory = r.Pick<int64_t>({0, 2048 * kMiB, 4096 * kMiB, 8192 * kMiB});
  host.reserved_cpus_elsewhere = r.Pick<double>({0, 0, 0.5, 1.5});
  host.reserved_memory_elsewhere = r.Pick<int64_t>({0, 0, 512 * kMiB});
  if (r.Chance(20)) host.ports_used_elsewhere.insert({"tcp", 80});
  if (r.Chance(20)) host.volumes.insert("v" + std::to_string(r.Below(4)));
  return host;
}

inline Constraint RandomConstraint(Random& r) {
  switch (r.Below(5)) {
    case 0:
      return Rule("node.labels.zone", true, r.Pick<std::string>({"a", "b"}));
    case 1:
      return Rule("node.labels.zone", false, "c");
    case 2:
      return Rule("node.labels.disk", r.Chance(50), "ssd");
    case 3:
      return Rule("node.platform.arch", true, r.Pick<std::string>({"amd64", "arm64"}));
    default:
      return Rule("node.hostname", false, "h" + std::to_string(r.Below(6)));
  }
}

inline PublishedPort RandomPort(Random& r) {
  return {r.Pick<std::string>({"", "", "10.0.0.1"}), r.Pick<uint32_t>({80, 443, 53}),
          r.Pick<std::string>({"tcp", "tcp", "udp"})};
}

// Affinity names only services placed earlier (lower names), as a loader
// that refused cycles would allow; anti-affinity names any other.
inline ServiceSpec RandomService(Random& r, int index) {
  ServiceSpec spec = Service("s" + std::to_string(index), static_cast<int>(r.Below(6)));
  spec.global = r.Chance(15);
  for (size_t i = 0, n = r.Below(3); i < n; ++i) spec.constraints.push_back(RandomConstraint(r));
  if (r.Chance(40)) spec.spread = {"node.labels.zone"};
  if (r.Chance(25)) spec.max_replicas_per_node = r.Below(3) + 1;
  spec.reserved_cpus = r.Pick<double>({0, 0, 0.5, 1, 2});
  spec.reserved_memory = r.Pick<int64_t>({0, 0, 512 * kMiB, 1024 * kMiB});
  if (r.Chance(35)) spec.published_ports = {RandomPort(r)};
  if (r.Chance(20)) spec.local_volumes = {"v" + std::to_string(r.Below(4))};
  if (index > 0 && r.Chance(15)) spec.affinity = {"s" + std::to_string(r.Below(index))};
  if (r.Chance(15)) {
    std::string other = "s" + std::to_string(r.Below(8));
    if (other != spec.name) spec.anti_affinity = {other};
  }
  return spec;
}

struct Case {
  DesiredState desired;
  ActualState actual;
};

// Services are named s0..s7 in order, so they are sorted as DesiredState
// requires; some hosts already hold replicas, some stale, some stopped. Services
// mount their local volumes (v0..v3, engine names equal to the keys); all
// join the default network.
inline Case RandomCase(uint32_t seed) {
  Random r(seed);
  Case c;
  std::vector<ServiceSpec> services;
  for (int i = 0, n = static_cast<int>(r.Below(8)) + 1; i < n; ++i)
    services.push_back(RandomService(r, i));
  std::vector<HostState> hosts;
  for (int i = 0, n = static_cast<int>(r.Below(9)) + 2; i < n; ++i)
    hosts.push_back(RandomHost(r, i));
  for (HostState& host : hosts) {
    for (const ServiceSpec& spec : services) {
      if (!r.Chance(20)) continue;
      host.containers.push_back(Replica(spec, static_cast<int>(r.Below(6)) + 1));
      if (r.Chance(30)) host.containers.back().spec_hash = "stale";
      if (r.Chance(15)) host.containers.back().state = r.Pick<std::string>({"exited", "created"});
      if (r.Chance(50)) host.containers.back().exit_code = 1;
    }
  }
  for (ServiceSpec& spec : services) {
    for (const std::string& volume : spec.local_volumes) {
      compose::VolumeMount mount;
      mount.type = "volume";
      mount.source = volume;
      spec.service.volumes.push_back(mount);
    }
  }
  c.desired = Desired(std::move(services));
  c.desired.networks.push_back({"default", {}});
  c.desired.networks.back().network.name = "shop_default";
  for (int i = 0; i < 4; ++i) {
    c.desired.volumes.push_back({"v" + std::to_string(i), {}});
    c.desired.volumes.back().volume.name = "v" + std::to_string(i);
  }
  c.actual = Actual(std::move(hosts));
  return c;
}

}  // namespace baton::planner::testing
