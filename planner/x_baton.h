#pragma once
// Reading a service's `x-baton` extension: the placement rules baton adds
// beyond the compose-spec (see desired_state.h).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/model.h"

namespace baton::planner {

// `x-baton.autoscale` (issue 6): the watcher keeps the replica count within
// [min, max] so that the mean CPU use of the replicas stays near `cpu`
// percent of what each reserves (deploy.resources.reservations.cpus, else
// limits.cpus). Scale-down waits for `stabilization`.
struct AutoscalePolicy {
  int min = 1;
  int max = 1;
  double cpu_percent = 0;  // target, 1..100 (and above, for multi-core limits)
  double base_cpus = 0;    // the reservation (else limit) the percentage is of
  std::chrono::milliseconds stabilization = std::chrono::minutes(5);
  bool operator==(const AutoscalePolicy&) const = default;
};

struct XBaton {
  std::vector<std::string> affinity;       // sorted, no duplicates
  std::vector<std::string> anti_affinity;  // sorted, no duplicates
  // `x-baton.readiness`, the keys of a compose healthcheck: failing keeps the
  // replica running but out of DNS (netd runs it). Unset: none.
  std::optional<compose::Healthcheck> readiness;
  std::optional<AutoscalePolicy> autoscale;
};

// `x-baton` may be absent or null (no rules) or a mapping with `affinity`
// and `anti_affinity`, each a service name or a list of them, `readiness`
// (healthcheck keys; `test` required) and `autoscale` ({min, max, cpu,
// stabilization}; 1 <= min <= max <= 256, cpu > 0, and the service must
// reserve or limit CPUs). Errors are
// kInvalid at the offending key or item ("compose.yaml:7:19:
// services.web.x-baton.affinity[0]: ..."): another type, an unknown key, a
// name that is not an enabled service of `project`, the service itself, or
// a service listed under both keys.
Result<XBaton> ReadXBaton(const compose::Project& project, const compose::Service& service);

}  // namespace baton::planner
