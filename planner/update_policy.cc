// The update policy, its batches and judgements, declared in update_policy.h.

#include "planner/update_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "planner/placement_reason.h"

namespace baton::planner {
namespace {

// "5s", "1m30s", "250ms" for the plan line.
std::string ShortDuration(std::chrono::nanoseconds d) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(d).count();
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  auto s = ms / 1000;
  if (s >= 60 && s % 60 == 0) return std::to_string(s / 60) + "m";
  if (s >= 60) return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
  return std::to_string(s) + "s";
}

std::string ActionName(FailureAction action) {
  switch (action) {
    case FailureAction::kPause:
      return "pause";
    case FailureAction::kContinue:
      return "continue";
    case FailureAction::kRollback:
      return "rollback";
  }
  return "pause";
}

// What the service reserves per replica on `host` under `placement`.
struct Load {
  double cpus = 0;
  int64_t memory = 0;
};

Load PlacedLoad(const DesiredState& desired, const Placement& placement, const std::string& host) {
  Load load;
  for (const Assignment& a : placement.assignments) {
    if (a.host != host) continue;
    if (const ServiceSpec* spec = desired.FindService(a.service)) {
      load.cpus += spec->reserved_cpus;
      load.memory += spec->reserved_memory;
    }
  }
  return load;
}

}  // namespace

UpdatePolicy UpdatePolicyOf(const std::optional<compose::UpdateConfig>& config) {
  UpdatePolicy policy;
  if (!config) return policy;
  if (config->parallelism)
    policy.parallelism = static_cast<int>(std::min<uint64_t>(*config->parallelism, 1 << 20));
  if (config->delay) policy.delay = *config->delay;
  if (config->order == "start-first") policy.order = UpdateOrder::kStartFirst;
  if (config->monitor) policy.monitor = *config->monitor;
  if (config->failure_action == "continue") policy.failure_action = FailureAction::kContinue;
  if (config->failure_action == "rollback") policy.failure_action = FailureAction::kRollback;
  if (config->max_failure_ratio)
    policy.max_failure_ratio = std::clamp(*config->max_failure_ratio, 0.0, 1.0);
  return policy;
}

std::string DescribeUpdatePolicy(const UpdatePolicy& policy) {
  std::string text =
      policy.parallelism == 0 ? "all at once" : std::to_string(policy.parallelism) + " at a time";
  if (policy.delay.count() > 0) text += ", " + ShortDuration(policy.delay) + " apart";
  text += policy.order == UpdateOrder::kStartFirst ? ", start-first" : ", stop-first";
  text += ", monitor " + ShortDuration(policy.monitor);
  text += ", on failure " + ActionName(policy.failure_action);
  if (policy.max_failure_ratio > 0) {
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%g", policy.max_failure_ratio);
    text += std::string(" (tolerates ") + ratio + ")";
  }
  return text;
}

std::vector<std::vector<UpdateSlot>> UpdateBatches(std::vector<UpdateSlot> slots, int parallelism) {
  std::sort(slots.begin(), slots.end(),
            [](const UpdateSlot& a, const UpdateSlot& b) { return a.slot < b.slot; });
  std::vector<std::vector<UpdateSlot>> batches;
  size_t size =
      parallelism <= 0 ? std::max<size_t>(slots.size(), 1) : static_cast<size_t>(parallelism);
  for (size_t i = 0; i < slots.size(); i += size)
    batches.emplace_back(
        slots.begin() + static_cast<std::ptrdiff_t>(i),
        slots.begin() + static_cast<std::ptrdiff_t>(std::min(i + size, slots.size())));
  return batches;
}

std::optional<std::string> StartFirstBlocked(const DesiredState& desired, const ActualState& actual,
                                             const Placement& placement, const std::string& service,
                                             const std::string& host, int count) {
  const ServiceSpec* spec = desired.FindService(service);
  const HostState* state = actual.FindHost(host);
  if (!spec || !state) return std::nullopt;
  for (const PublishedPort& port : spec->published_ports)
    if (port.port != 0) return "publishes port " + std::to_string(port.port) + "/" + port.protocol;
  Load load = PlacedLoad(desired, placement, host);
  double free_cpus = state->cpus - state->reserved_cpus_elsewhere - load.cpus;
  double need_cpus = spec->reserved_cpus * count;
  if (need_cpus > 0 && need_cpus > free_cpus + 1e-9)
    return host + " lacks cpus for the extra replicas (need " +
           FormatCpus(need_cpus, Rounding::kUp) + ", free " +
           FormatCpus(std::max(free_cpus, 0.0), Rounding::kDown) + ")";
  int64_t free_memory = state->memory - state->reserved_memory_elsewhere - load.memory;
  int64_t need_memory = spec->reserved_memory * count;
  if (need_memory > 0 && need_memory > free_memory)
    return host + " lacks memory for the extra replicas (need " +
           FormatBytes(need_memory, Rounding::kUp) + ", free " +
           FormatBytes(std::max<int64_t>(free_memory, 0), Rounding::kDown) + ")";
  return std::nullopt;
}

UpdateStep JudgeUpdate(int failed, int total, const UpdatePolicy& policy) {
  if (failed <= 0 || policy.failure_action == FailureAction::kContinue)
    return UpdateStep::kContinue;
  double tolerated = policy.max_failure_ratio * static_cast<double>(std::max(total, 1));
  if (static_cast<double>(failed) <= std::floor(tolerated + 1e-9)) return UpdateStep::kContinue;
  return policy.failure_action == FailureAction::kRollback ? UpdateStep::kRollback
                                                           : UpdateStep::kPause;
}

}  // namespace baton::planner
