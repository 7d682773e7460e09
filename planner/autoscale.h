#pragma once
// The autoscaling decision (issue 6, design section 4), pure. Like the
// Kubernetes HPA: a recommendation ceil(current * util / target), none
// within a tolerance of 10 %; scale up only when every recommendation of the
// last 15 s is above the current count (to the lowest of them), scale down
// only to the highest recommendation of the stabilisation window. The
// caller samples (runtime/cpu_sampler.h) and writes the record.

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <utility>

#include "planner/x_baton.h"

namespace baton::planner {

struct ScaleDecision {
  int from = 0;
  int to = 0;
  // For the record, the log and events: "cpu 93% > 70% for 15s: 2->4",
  // "cpu 12% < 70% for 5m: 4->2", "outside min 2 and max 10: 1->2".
  std::string reason;
};

inline constexpr double kAutoscaleTolerance = 0.1;
inline constexpr std::chrono::seconds kScaleUpWindow{15};

// One per autoscaled service; the watcher's thread only. Forget it when the
// policy changes (a new state starts with an empty history).
class AutoscaleState {
 public:
  using Clock = std::chrono::steady_clock;
  // One sample: `mean_util_percent` is the mean CPU use of the ready
  // replicas in percent of the policy's base CPUs (100 = all of it),
  // `current` the service's replica count now. Returns a decision when the
  // count should change; nullopt otherwise (also when the history is too
  // short to decide). A `current` outside [min, max] is clamped at once.
  std::optional<ScaleDecision> Observe(double mean_util_percent, int current,
                                       const AutoscalePolicy& policy, Clock::time_point now);

  // The recommendation for one sample, without history: current within the
  // tolerance, else ceil(current * util / target) clamped to [min, max].
  static int Recommend(double mean_util_percent, int current, const AutoscalePolicy& policy);

 private:
  struct Sample {
    Clock::time_point at;
    int recommendation = 0;
    double util = 0;
  };
  std::deque<Sample> history_;  // oldest first, no older than the longest window
};

}  // namespace baton::planner
