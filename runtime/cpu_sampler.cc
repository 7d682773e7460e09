// CpuSampler, PoolStatsSource and the per-replica math, declared in
// cpu_sampler.h.

#include "runtime/cpu_sampler.h"

#include <charconv>
#include <ctime>
#include <utility>

namespace baton::runtime {
namespace {

using std::chrono::system_clock;

// `count` decimal digits at `at`; clears `ok` otherwise.
int Digits(const std::string& text, size_t at, size_t count, bool& ok) {
  int value = 0;
  if (at + count > text.size()) {
    ok = false;
    return 0;
  }
  auto read = std::from_chars(text.data() + at, text.data() + at + count, value);
  ok = ok && read.ec == std::errc() && read.ptr == text.data() + at + count;
  return value;
}

// The fraction and zone after "YYYY-MM-DDTHH:MM:SS": nanoseconds and the
// zone's offset east of UTC in seconds.
bool ReadTail(const std::string& text, int64_t& nanos, int& offset) {
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    int64_t scale = 100000000;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10)
      nanos += (text[at] - '0') * scale;
  }
  bool ok = true;
  if (at < text.size() && text[at] == 'Z') return at + 1 == text.size();
  if (at >= text.size() || (text[at] != '+' && text[at] != '-')) return false;
  int sign = text[at] == '-' ? -1 : 1;
  offset = sign * (Digits(text, at + 1, 2, ok) * 3600 + Digits(text, at + 4, 2, ok) * 60);
  return ok && at + 6 == text.size() && text[at + 3] == ':';
}

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

std::optional<system_clock::time_point> ParseEngineTime(const std::string& text) {
  bool ok = text.size() >= 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' &&
            text[13] == ':' && text[16] == ':';
  std::tm tm{};
  tm.tm_year = Digits(text, 0, 4, ok) - 1900;
  tm.tm_mon = Digits(text, 5, 2, ok) - 1;
  tm.tm_mday = Digits(text, 8, 2, ok);
  tm.tm_hour = Digits(text, 11, 2, ok);
  tm.tm_min = Digits(text, 14, 2, ok);
  tm.tm_sec = Digits(text, 17, 2, ok);
  int64_t nanos = 0;
  int offset = 0;
  if (!ok || tm.tm_year < 1 || !ReadTail(text, nanos, offset)) return std::nullopt;
  auto since_epoch = std::chrono::seconds(::timegm(&tm) - offset) + std::chrono::nanoseconds(nanos);
  return system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(since_epoch));
}

std::optional<double> ReplicaUtilPercent(const ContainerStats* before, const ContainerStats& after,
                                         const std::string& started_at, double base_cpus) {
  if (!before || base_cpus <= 0) return std::nullopt;
  auto started = ParseEngineTime(started_at);
  auto first = ParseEngineTime(before->read);
  auto last = ParseEngineTime(after.read);
  if (!started || !first || !last) return std::nullopt;
  // A read from an earlier run counts CPU time the new run never used.
  if (*first < *started || *last <= *first) return std::nullopt;
  if (*last - *started < kCpuWarmUp) return std::nullopt;
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
                             c.started_at, spec->autoscale->base_cpus);
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
