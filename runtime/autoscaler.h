#pragma once
// Autoscaling in the watcher (issue 6, design section 4): samples the CPU of
// each autoscaled service's replicas every kCpuSampleInterval
// (runtime/cpu_sampler.h), feeds one planner::AutoscaleState per service,
// and turns its decisions into a new record generation with
// scale[svc] = {to, set_by autoscale, reason}; the watcher's tick then
// converges the hosts to it like to any other record. A recorded count
// outside the policy's [min, max] is clamped at once, without samples.
//
// Threads: an Autoscaler belongs to the watcher's loop thread.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "planner/actual_state.h"
#include "planner/autoscale.h"
#include "planner/desired_record.h"
#include "planner/desired_state.h"
#include "runtime/cpu_sampler.h"
#include "runtime/watch_io.h"

namespace baton::runtime {

struct AutoscaleInput {
  const planner::DesiredRecord* record = nullptr;  // the newest record
  const planner::DesiredState* desired = nullptr;  // what it asks for
  const planner::ActualState* actual = nullptr;    // the tick's merged observation
  std::set<std::string> frozen;                    // hosts not to read (Suspect)
  WatchClock::time_point now;
  std::string written_by;  // for the record it writes
};

class Autoscaler {
 public:
  // `stats` may be null: then only out-of-range counts are clamped. It
  // outlives the autoscaler. A replica's first `warm_up` gives no samples
  // (runtime/cpu_sampler.h).
  explicit Autoscaler(StatsSource* stats, std::chrono::milliseconds warm_up = kCpuWarmUp);

  // Samples when kCpuSampleInterval has passed since the last round (a
  // round more than 10 s late, after a pause, starts every history over), then
  // decides for every autoscaled, not stopped service. When any count
  // changes, writes ONE new record (the input record with the new counts,
  // written_by and written_at) through io.WriteRecord and notifies an
  // "autoscale" event per service (message = the reason, fields from, to).
  // Returns true when it wrote: the caller re-reads the record before it
  // plans. A failed write is notified as an "error" event and returns false;
  // the decision is then made again from the next samples.
  bool Step(WatchIo& io, const AutoscaleInput& input);

  // When the next sampling round is due (for the loop's wake-up); nullopt
  // while no service is autoscaled.
  std::optional<WatchClock::time_point> next_sample() const { return next_sample_; }

 private:
  struct Service {
    planner::AutoscalePolicy policy;
    planner::AutoscaleState state;
  };
  std::map<std::string, planner::ServiceScale> Decide(const AutoscaleInput& input,
                                                      std::vector<WatchEvent>& events);
  Service& StateFor(const std::string& name, const planner::AutoscalePolicy& policy);

  std::optional<CpuSampler> sampler_;
  std::map<std::string, Service> services_;
  std::optional<WatchClock::time_point> next_sample_;
};

}  // namespace baton::runtime
