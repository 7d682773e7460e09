// Autoscaler, declared in autoscaler.h.

#include "runtime/autoscaler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "runtime/watch_tick.h"

namespace baton::runtime {
namespace {

// A round this late after it was due means the samples before it no longer
// describe the load continuously.
constexpr std::chrono::seconds kSampleGap = 2 * kCpuSampleInterval;

// AutoscaleState keeps steady-clock times; the watcher's clock is WatchIo's
// (a fake one in tests). Only differences between samples matter, so a
// wall clock jump at worst hastens or delays one decision.
planner::AutoscaleState::Clock::time_point StateTime(WatchClock::time_point now) {
  return planner::AutoscaleState::Clock::time_point(
      std::chrono::duration_cast<planner::AutoscaleState::Clock::duration>(
          now.time_since_epoch()));
}

// The autoscaled services the record scales: replicated, counted in the
// record, not stopped by `baton stop`.
std::vector<const planner::ServiceSpec*> Autoscaled(const planner::DesiredRecord& record,
                                                    const planner::DesiredState& desired) {
  std::vector<const planner::ServiceSpec*> out;
  for (const planner::ServiceSpec& spec : desired.services) {
    if (!spec.autoscale || spec.global || !record.scale.count(spec.name)) continue;
    if (std::binary_search(record.stopped.begin(), record.stopped.end(), spec.name)) continue;
    out.push_back(&spec);
  }
  return out;
}

WatchEvent AutoscaleEvent(const AutoscaleInput& in, const std::string& service,
                          const planner::ScaleDecision& decision) {
  WatchEvent event;
  event.time = in.now;
  event.kind = "autoscale";
  event.project = in.record->project;
  event.service = service;
  event.message = decision.reason;
  event.fields = {{"from", std::to_string(decision.from)}, {"to", std::to_string(decision.to)}};
  return event;
}

}  // namespace

Autoscaler::Autoscaler(StatsSource* stats, std::chrono::milliseconds warm_up) {
  if (stats) sampler_.emplace(*stats, warm_up);
}

bool Autoscaler::Step(WatchIo& io, const AutoscaleInput& in) {
  std::vector<WatchEvent> events;
  std::map<std::string, planner::ServiceScale> changes = Decide(in, events);
  if (changes.empty()) return false;
  planner::DesiredRecord next = *in.record;
  for (auto& [service, scale] : changes) next.scale[service] = std::move(scale);
  next.generation = in.record->generation + 1;
  next.written_by = in.written_by;
  next.written_at = FormatRfc3339(in.now);
  if (Result<uint64_t> written = io.WriteRecord(next); !written.ok()) {
    WatchEvent error;
    error.time = in.now;
    error.level = "error";
    error.kind = "error";
    error.project = in.record->project;
    error.message = "write desired state: " + written.error().ToString();
    io.Notify(error);
    return false;
  }
  for (const WatchEvent& event : events) io.Notify(event);
  return true;
}

// One Observe per service and step: with this round's mean when a round was
// due and the service had usable replicas, else with no sample (NaN), which
// adds nothing to the history but still clamps an out-of-range count.
std::map<std::string, planner::ServiceScale> Autoscaler::Decide(const AutoscaleInput& in,
                                                                std::vector<WatchEvent>& events) {
  std::vector<const planner::ServiceSpec*> services = Autoscaled(*in.record, *in.desired);
  std::erase_if(services_, [&](const auto& entry) {
    return std::none_of(services.begin(), services.end(),
                        [&](const planner::ServiceSpec* s) { return s->name == entry.first; });
  });
  bool due = sampler_ && !services.empty() && (!next_sample_ || in.now >= *next_sample_);
  std::map<std::string, ServiceLoad> loads;
  if (due) {
    // After a gap (lease lost, paused by a deploy lock) the history would
    // make one fresh sample look sustained over a whole window.
    if (next_sample_ && in.now - *next_sample_ > kSampleGap) services_.clear();
    loads = sampler_->Sample(*in.desired, *in.actual, in.frozen);
    next_sample_ = in.now + kCpuSampleInterval;
  }
  if (services.empty()) next_sample_.reset();
  std::map<std::string, planner::ServiceScale> changes;
  for (const planner::ServiceSpec* spec : services) {
    const planner::ServiceScale& scale = in.record->scale.at(spec->name);
    auto load = loads.find(spec->name);
    double util = load == loads.end() ? std::numeric_limits<double>::quiet_NaN()
                                      : load->second.mean_percent;
    Service& service = StateFor(spec->name, *spec->autoscale);
    std::optional<planner::ScaleDecision> decision =
        service.state.Observe(util, scale.replicas, service.policy, StateTime(in.now));
    if (!decision || decision->to == scale.replicas) continue;
    planner::ServiceScale next = scale;
    next.replicas = decision->to;
    next.set_by = planner::ScaleSource::kAutoscale;
    next.reason = decision->reason;
    changes[spec->name] = std::move(next);
    events.push_back(AutoscaleEvent(in, spec->name, *decision));
  }
  return changes;
}

// A changed policy starts over with an empty history (autoscale.h).
Autoscaler::Service& Autoscaler::StateFor(const std::string& name,
                                          const planner::AutoscalePolicy& policy) {
  auto it = services_.find(name);
  if (it != services_.end() && it->second.policy == policy) return it->second;
  if (it != services_.end()) services_.erase(it);
  return services_.emplace(name, Service{policy, {}}).first->second;
}

}  // namespace baton::runtime
