#pragma once
// CPU samples for autoscaling (issue 6, design section 4): every 5 s one
// one-shot stats read per running replica of each autoscaled service; two
// reads of the same run give its CPU use in percent of the service's base
// CPUs (x-baton.autoscale: reservations.cpus, else limits.cpus), and the
// replicas' mean feeds planner::AutoscaleState (runtime/autoscaler.h).
//
// Threads: a CpuSampler belongs to the watcher's loop thread.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "base/result.h"
#include "planner/actual_state.h"
#include "planner/desired_state.h"
#include "runtime/docker_containers.h"
#include "runtime/host_pool.h"

namespace baton::runtime {

// Where samples come from: one stats read of one container.
class StatsSource {
 public:
  virtual ~StatsSource() = default;
  // kUnreachable/kNotFound when the host or the container is gone; the
  // sampler then skips that replica this round.
  virtual Result<ContainerStats> ReadStats(const std::string& host, const std::string& id) = 0;
};

// The real thing: each read takes a fresh pool snapshot (the host monitor
// may have reconnected the host since the last one).
class PoolStatsSource : public StatsSource {
 public:
  explicit PoolStatsSource(std::function<HostPool()> pool);
  Result<ContainerStats> ReadStats(const std::string& host, const std::string& id) override;

 private:
  std::function<HostPool()> pool_;
};

inline constexpr std::chrono::seconds kCpuSampleInterval{5};
// A replica this young is still starting (JIT, caches, migrations): its CPU
// use says nothing about load. The default of `baton watch
// --autoscale-warmup`.
inline constexpr std::chrono::seconds kCpuWarmUp{30};

// One replica's CPU use between two reads, in percent of `base_cpus` (100 =
// all it reserves), or nullopt when the pair says nothing: no earlier read,
// a read before this run started (`started_at`, RFC 3339 from the same
// engine as the reads' `read` times, so no clocks of two machines are
// compared), a run younger than `warm_up` at `after`, times that do not
// parse, or base_cpus <= 0.
std::optional<double> ReplicaUtilPercent(const ContainerStats* before, const ContainerStats& after,
                                         const std::string& started_at, double base_cpus,
                                         std::chrono::milliseconds warm_up = kCpuWarmUp);

// The mean CPU use of an autoscaled service's sampled replicas, in percent
// of its base CPUs.
struct ServiceLoad {
  double mean_percent = 0;
  int replicas = 0;  // how many replicas gave a usable pair this round
};

class CpuSampler {
 public:
  // `stats` outlives the sampler; replicas younger than `warm_up` give no
  // sample.
  explicit CpuSampler(StatsSource& stats, std::chrono::milliseconds warm_up = kCpuWarmUp)
      : stats_(stats), warm_up_(warm_up) {}

  // Reads every running (and not unhealthy or starting) replica of each
  // autoscaled service of `desired` in `actual`, skipping unreachable hosts
  // and `skip_hosts` (frozen: their reads could hang the loop). Returns the
  // services with at least one usable replica; a service with none is
  // absent (not zero: no data is not no load). Remembers this round's reads
  // for the next one and forgets containers no longer seen.
  std::map<std::string, ServiceLoad> Sample(const planner::DesiredState& desired,
                                            const planner::ActualState& actual,
                                            const std::set<std::string>& skip_hosts);

 private:
  StatsSource& stats_;
  std::chrono::milliseconds warm_up_;
  std::map<std::string, ContainerStats> previous_;  // by container id
};

}  // namespace baton::runtime
