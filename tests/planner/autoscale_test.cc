#include "planner/autoscale.h"

#include <catch2/catch.hpp>

namespace baton::planner {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using Clock = AutoscaleState::Clock;

const Clock::time_point kT0 = Clock::time_point(std::chrono::hours(1000));

AutoscalePolicy Policy(int min, int max) {
  AutoscalePolicy policy;
  policy.min = min;
  policy.max = max;
  policy.cpu_percent = 70;
  policy.base_cpus = 0.5;
  policy.stabilization = minutes(5);
  return policy;
}

// Feeds one sample every 5 s from `from` for `span`, returning the first decision.
std::optional<ScaleDecision> Feed(AutoscaleState& state, const std::vector<double>& utils,
                                  int current, const AutoscalePolicy& policy,
                                  Clock::time_point from) {
  for (size_t i = 0; i < utils.size(); ++i)
    if (auto d = state.Observe(utils[i], current, policy, from + seconds(5) * i)) return d;
  return std::nullopt;
}

TEST_CASE("autoscale: sustained load over 15 s scales up to the lowest recommendation",
          "[planner][autoscale]") {
  AutoscaleState state;
  // ceil(2 * 140/70) = 4, ceil(2 * 105/70) = 3: the lowest of the window wins.
  CHECK_FALSE(Feed(state, {140, 105, 140}, 2, Policy(1, 10), kT0).has_value());
  auto d = state.Observe(130, 2, Policy(1, 10), kT0 + seconds(15));
  REQUIRE(d.has_value());
  CHECK(d->from == 2);
  CHECK(d->to == 3);
  CHECK(d->reason == "cpu 130% > 70% for 15s: 2->3");
}

TEST_CASE("autoscale: a short spike does not scale up", "[planner][autoscale]") {
  AutoscaleState state;
  CHECK_FALSE(Feed(state, {60, 70, 200, 70, 70, 200, 70}, 2, Policy(1, 10), kT0).has_value());
}

TEST_CASE("autoscale: a dip inside the window does not scale down", "[planner][autoscale]") {
  AutoscaleState state;
  std::vector<double> utils(61, 20.0);  // five minutes of low load...
  utils[30] = 70;                       // ...but for one sample at target
  CHECK_FALSE(Feed(state, utils, 4, Policy(1, 10), kT0).has_value());
  auto d = state.Observe(20, 4, Policy(1, 10), kT0 + minutes(5) + seconds(5) * 31);
  REQUIRE(d.has_value());
  // ceil(4 * 20/70) = 2.
  CHECK(d->to == 2);
  CHECK(d->reason == "cpu 20% < 70% for 5m: 4->2");
}

TEST_CASE("autoscale: within tolerance nothing changes", "[planner][autoscale]") {
  AutoscaleState state;
  std::vector<double> utils(80);  // 76/70 = 1.086 and 64/70 = 0.914: both within 10 %
  for (size_t i = 0; i < utils.size(); ++i) utils[i] = i % 2 ? 76.0 : 64.0;
  CHECK_FALSE(Feed(state, utils, 3, Policy(1, 10), kT0).has_value());
  CHECK(AutoscaleState::Recommend(76, 3, Policy(1, 10)) == 3);
  CHECK(AutoscaleState::Recommend(78, 3, Policy(1, 10)) == 4);
}

TEST_CASE("autoscale: never outside min and max", "[planner][autoscale]") {
  AutoscaleState state;
  CHECK(AutoscaleState::Recommend(1000, 2, Policy(1, 5)) == 5);
  CHECK(AutoscaleState::Recommend(1, 4, Policy(2, 5)) == 2);
  CHECK(AutoscaleState::Recommend(1e300, 2, Policy(1, 256)) == 256);
  auto clamped = state.Observe(50, 1, Policy(2, 5), kT0);
  REQUIRE(clamped.has_value());
  CHECK(clamped->to == 2);
  CHECK(clamped->reason == "outside min 2 and max 5: 1->2");
  AutoscaleState busy;
  auto d = Feed(busy, {700, 700, 700, 700}, 2, Policy(1, 5), kT0);
  REQUIRE(d.has_value());
  CHECK(d->to == 5);
}

}  // namespace
}  // namespace baton::planner
