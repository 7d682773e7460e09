#pragma once
// The structured keys of `x-baton` (readiness, autoscale), read from the raw
// extension node the loader keeps. Internal to planner: x_baton.cc reads
// them for the spec, spec_hash.cc reads readiness for the hash.

#include <optional>

#include "base/result.h"
#include "compose/model.h"
#include "compose/node.h"
#include "planner/x_baton.h"

namespace baton::planner {

// `x-baton.readiness`: a mapping of compose healthcheck keys (test, interval,
// timeout, retries, start_period) read as compose reads a healthcheck; `test`
// is required, a string means CMD-SHELL, and NONE is refused. `key_mark` is
// the mark of the `readiness` key, used where the value has none.
Result<compose::Healthcheck> ReadReadiness(const compose::Node& value,
                                           const compose::Mark& key_mark,
                                           const compose::ModelPath& at);

// `x-baton.autoscale`: {min (default 1), max, cpu, stabilization (default
// 5m)}, 1 <= min <= max <= 256, cpu > 0; base_cpus is the service's
// deploy.resources.reservations.cpus, else limits.cpus, and one is required.
Result<AutoscalePolicy> ReadAutoscale(const compose::Service& service, const compose::Node& value,
                                      const compose::Mark& key_mark, const compose::ModelPath& at);

// The service's x-baton.readiness as the spec hash covers it: the healthcheck
// as compose would print it, so equal probes written differently ("30s",
// "30000ms") hash the same. nullopt without readiness; the raw node when it
// does not read (MakeServiceSpec reports that error first).
std::optional<compose::Node> ReadinessHashNode(const compose::Service& service);

}  // namespace baton::planner
