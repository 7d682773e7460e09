// CpuSampler, PoolStatsSource and the per-replica math, declared in
// cpu_sampler.h.

#include "runtime/cpu_sampler.h"

#include <charconv>
#include <ctime>
#include <utility>

#include "base/rfc3339.h"

namespace baton::runtime {
namespace {

using std::chrono::system_clock;

bool Ready(const planner::ActualContainer& c) {
  return c.state == "running" && c.health != "starting" && c.health != "unhealthy";
}

}  // namespace

PoolStatsSource::PoolStatsSource(std::function<HostPool()> pool) : pool_(std::move(pool)) {}

Result<ContainerStats> PoolStatsSource::ReadStats(const std::string& host, const std::string& id) {
  HostPool pool = pool_();
  Result<DockerClient*> docker = pool.Docker(host);
  if (!docker.ok()) return docker.error();
  return (*docker)->ReadStats(id);
}

std::optional<double> ReplicaUtilPercent(const ContainerStats* before, const ContainerStats& after,
                                         const std::string& started_at, double base_cpus,
                                         std::chrono::milliseconds warm_up) {
  if (!before || base_cpus <= 0) return std::nullopt;
  auto started = ParseRfc3339(started_at);
  auto first = ParseRfc3339(before->read);
  auto last = ParseRfc3339(after.read);
  if (!started || !first || !last) return std::nullopt;
  // A read from an earlier run counts CPU time the new run never used.
  if (*first < *started || *last <= *first) return std::nullopt;
  if (*last - *started < warm_up) return std::nullopt;
  return CpuPercent(*before, after) / base_cpus;
}

std::map<std::string, ServiceLoad> CpuSampler::Sample(const planner::DesiredState& desired,
                                                      const planner::ActualState& actual,
                                                      const std::set<std::string>& skip_hosts) {
  std::map<std::string, ContainerStats> now;
  std::map<std::string, double> sums;
  std::map<std::string, ServiceLoad> loads;
  for (const planner::HostState& host : actual.hosts) {
    if (!host.reachable || skip_hosts.count(host.name)) continue;
    for (const planner::ActualContainer& c : host.containers) {
      const planner::ServiceSpec* spec = desired.FindService(c.service);
      if (!spec || !spec->autoscale || !Ready(c)) continue;
      Result<ContainerStats> read = stats_.ReadStats(host.name, c.id);
      if (!read.ok()) continue;  // a missing sample: this replica sits out this round
      auto before = previous_.find(c.id);
      std::optional<double> util =
          ReplicaUtilPercent(before == previous_.end() ? nullptr : &before->second, *read,
                             c.started_at, spec->autoscale->base_cpus, warm_up_);
      now[c.id] = std::move(*read);
      if (!util) continue;
      sums[c.service] += *util;
      ++loads[c.service].replicas;
    }
  }
  for (auto& [service, load] : loads) load.mean_percent = sums[service] / load.replicas;
  // Only this round's reads are kept, so the memory is bounded by what runs;
  // a replica whose read failed starts over (no pair) at its next read.
  previous_ = std::move(now);
  return loads;
}

}  // namespace baton::runtime
