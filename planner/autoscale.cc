// AutoscaleState, declared in autoscale.h.

#include "planner/autoscale.h"

#include <algorithm>
#include <cmath>

namespace baton::planner {
namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

std::string Percent(double value) { return std::to_string(std::lround(value)) + "%"; }

// "15s", "5m", "90s": the window as a person would write it.
std::string Window(std::chrono::milliseconds window) {
  auto secs = duration_cast<seconds>(window).count();
  if (secs >= 60 && secs % 60 == 0) return std::to_string(secs / 60) + "m";
  return std::to_string(secs) + "s";
}

std::string Change(int from, int to) { return std::to_string(from) + "->" + std::to_string(to); }

}  // namespace

int AutoscaleState::Recommend(double mean_util_percent, int current,
                              const AutoscalePolicy& policy) {
  int base = std::clamp(current, policy.min, policy.max);
  if (policy.cpu_percent <= 0) return base;
  double ratio = mean_util_percent / policy.cpu_percent;
  if (std::abs(ratio - 1) <= kAutoscaleTolerance) return base;
  double wanted = std::ceil(base * ratio);
  if (wanted > policy.max) return policy.max;  // also keeps a huge ratio out of int range
  return std::clamp(static_cast<int>(wanted), policy.min, policy.max);
}

// Scale-up needs every recommendation of the last 15 s above the count, and
// scale-down every one of the stabilisation window below it; each only once
// the history reaches back over its whole window, so a watcher that has
// just started (or a policy that just changed) decides nothing from one sample.
std::optional<ScaleDecision> AutoscaleState::Observe(double mean_util_percent, int current,
                                                     const AutoscalePolicy& policy,
                                                     Clock::time_point now) {
  if (current < policy.min || current > policy.max) {
    int to = std::clamp(current, policy.min, policy.max);
    return ScaleDecision{current, to,
                         "outside min " + std::to_string(policy.min) + " and max " +
                             std::to_string(policy.max) + ": " + Change(current, to)};
  }
  if (!std::isfinite(mean_util_percent) || mean_util_percent < 0) return std::nullopt;
  history_.push_back({now, Recommend(mean_util_percent, current, policy), mean_util_percent});
  auto longest = std::max<Clock::duration>(kScaleUpWindow, policy.stabilization);
  while (history_.size() > 1 && history_[1].at <= now - longest) history_.pop_front();

  auto over = [&](Clock::duration window, auto pick) -> std::optional<int> {
    if (history_.front().at > now - window) return std::nullopt;  // not seen long enough
    std::optional<int> out;
    for (const Sample& s : history_)
      if (s.at >= now - window) out = out ? pick(*out, s.recommendation) : s.recommendation;
    return out;
  };
  auto lowest = over(kScaleUpWindow, [](int a, int b) { return std::min(a, b); });
  if (lowest && *lowest > current) {
    return ScaleDecision{current, *lowest,
                         "cpu " + Percent(mean_util_percent) + " > " + Percent(policy.cpu_percent) +
                             " for " + Window(kScaleUpWindow) + ": " + Change(current, *lowest)};
  }
  auto highest = over(policy.stabilization, [](int a, int b) { return std::max(a, b); });
  if (highest && *highest < current) {
    return ScaleDecision{current, *highest,
                         "cpu " + Percent(mean_util_percent) + " < " + Percent(policy.cpu_percent) +
                             " for " + Window(policy.stabilization) + ": " +
                             Change(current, *highest)};
  }
  return std::nullopt;
}

}  // namespace baton::planner
