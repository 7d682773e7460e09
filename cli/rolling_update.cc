// RollServices, declared in rolling_update.h.

#include "cli/rolling_update.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "base/rfc3339.h"
#include "cli/interrupt.h"
#include "cli/ps_gather.h"
#include "cli/record_context.h"
#include "runtime/observe.h"
#include "transport/duration.h"

namespace baton::cli {
namespace {

using Clock = std::chrono::steady_clock;
using planner::ReplicaProgress;
using planner::ReplicaUpdate;
using planner::RollSlot;

constexpr std::chrono::milliseconds kPollInterval{250};
// How long a replica stays out of DNS before it is stopped: netd's answers
// live 1 s (dns::ResolveOptions::ttl) and a record reaches every host's
// netd within a few hundred ms, so after this no client still connects to
// it by a name it resolved.
constexpr std::chrono::milliseconds kDnsSettle{2000};

Status Sleep(std::chrono::milliseconds duration) {
  Clock::time_point until = Clock::now() + duration;
  while (Clock::now() < until) {
    if (InterruptToken().stop_requested()) return Error::Internal("", "interrupted");
    std::this_thread::sleep_for(std::min<Clock::duration>(kPollInterval, until - Clock::now()));
  }
  return Status::Ok();
}

// Writes the record without `slots` in the service's held slots, so netd
// drops their old replicas from DNS, then waits for the answers given out
// to expire.
Status ReleaseSlots(DeployContext& context, const std::string& service,
                    const std::vector<RollSlot>& slots) {
  if (!context.record || slots.empty()) return Status::Ok();
  planner::DesiredRecord record = context.record->record;
  auto held = record.held.find(service);
  if (held == record.held.end()) return Status::Ok();
  size_t released = 0;
  for (const RollSlot& slot : slots) released += held->second.erase(slot.slot);
  if (released == 0) return Status::Ok();
  if (held->second.empty()) record.held.erase(held);
  record.written_by = RecordWriter();
  record.written_at = NowRfc3339();
  if (Status written = WriteDesiredRecord(context, std::move(record)); !written.ok())
    return written;
  return Sleep(kDnsSettle);
}

std::string Where(const RollSlot& slot) { return slot.name + " on " + slot.host; }

// What one poll of the batch saw of a new replica, kept between polls.
struct Watched {
  const RollSlot* slot = nullptr;
  std::string id;  // the container seen last, to notice a replacement
  Clock::time_point running_since{};
  ReplicaProgress progress;
};

const planner::ActualContainer* Named(const planner::ActualState& actual, const RollSlot& slot) {
  const planner::HostState* host = actual.FindHost(slot.host);
  if (host == nullptr) return nullptr;
  for (const planner::ActualContainer& c : host->containers)
    if (c.name == slot.name) return &c;
  return nullptr;
}

// netd's word on a replica: unknown when the host's netd cannot say, or
// lists none of the project's replicas (the service is on no network netd
// serves).
std::optional<bool> InDns(const std::map<std::string, HostReadiness>& readiness,
                          const std::string& project, const RollSlot& slot) {
  auto host = readiness.find(slot.host);
  if (host == readiness.end() || !host->second.known) return std::nullopt;
  auto replica = host->second.by_container.find(slot.name);
  if (replica != host->second.by_container.end()) return replica->second.in_dns;
  for (const auto& [name, status] : host->second.by_container)
    if (status.project == project) return false;
  return std::nullopt;
}

// netd's status from each of `hosts` (an exec there).
std::map<std::string, HostReadiness> ReadReadiness(DeployContext& context,
                                                   const planner::ActualState& actual,
                                                   const std::set<std::string>& hosts) {
  std::map<std::string, HostReadiness> readiness;
  for (const planner::HostState& host : actual.hosts) {
    if (!hosts.count(host.name) || !host.reachable || !host.netd.running || host.netd.id.empty())
      continue;
    auto docker = context.pool.Docker(host.name);
    if (docker.ok()) readiness[host.name] = ReadNetdStatus(**docker, host.netd.id);
  }
  return readiness;
}

// One poll: each unsettled replica's progress; true when all are settled.
// netd is asked only on the hosts of replicas the engine already calls
// ready, since only for them does DNS decide.
bool Poll(DeployContext& context, std::vector<Watched>& batch, const std::string& hash,
          const planner::UpdatePolicy& policy) {
  planner::ActualState actual = runtime::ObserveProject(context.desired, context.pool);
  Clock::time_point now = Clock::now();
  std::set<std::string> ask;
  for (Watched& w : batch) {
    if (w.progress.state != ReplicaUpdate::kWaiting) continue;
    const planner::ActualContainer* c = Named(actual, *w.slot);
    if (c == nullptr || !c->running() || c->id != w.id) w.running_since = now;
    w.id = c != nullptr ? c->id : "";
    if (planner::JudgeNewReplica(c, hash, now - w.running_since, std::nullopt, policy).state ==
        ReplicaUpdate::kUpdated)
      ask.insert(w.slot->host);
  }
  std::map<std::string, HostReadiness> readiness = ReadReadiness(context, actual, ask);
  bool settled = true;
  for (Watched& w : batch) {
    if (w.progress.state != ReplicaUpdate::kWaiting) continue;
    w.progress = planner::JudgeNewReplica(Named(actual, *w.slot), hash, now - w.running_since,
                                          InDns(readiness, context.desired.project, *w.slot),
                                          policy);
    if (w.progress.state == ReplicaUpdate::kWaiting) settled = false;
  }
  return settled;
}

// Polls the batch's new replicas until each is updated or failed; one still
// waiting at `timeout` has failed.
Result<std::vector<Watched>> WaitForBatch(DeployContext& context,
                                          const std::vector<RollSlot>& slots,
                                          const std::string& hash,
                                          const planner::UpdatePolicy& policy,
                                          std::chrono::milliseconds timeout) {
  std::vector<Watched> batch;
  for (const RollSlot& slot : slots) batch.push_back({&slot, "", Clock::now(), {}});
  Clock::time_point deadline = Clock::now() + timeout;
  while (!Poll(context, batch, hash, policy)) {
    if (Clock::now() >= deadline) {
      for (Watched& w : batch)
        if (w.progress.state == ReplicaUpdate::kWaiting)
          w.progress = {ReplicaUpdate::kFailed, "not updated after " +
                                                    transport::FormatDuration(timeout) + " (" +
                                                    w.progress.detail + ")"};
      break;
    }
    if (Status slept = Sleep(kPollInterval); !slept.ok()) return slept.error();
  }
  return batch;
}

// Start-first's first step: each old replica renamed aside, still serving.
Status MoveAside(DeployContext& context, const std::vector<RollSlot>& slots) {
  for (const RollSlot& slot : slots) {
    auto docker = context.pool.Docker(slot.host);
    if (!docker.ok()) return docker.error();
    if (Status renamed = (*docker)->RenameContainer(slot.old_id, planner::ReplacedName(slot.name));
        !renamed.ok())
      return renamed.error().Within(Where(slot));
  }
  return Status::Ok();
}

// A start-first replica that failed: the new container goes and the old one,
// which never left DNS, takes its name back.
Status PutBack(DeployContext& context, const RollSlot& slot) {
  auto docker = context.pool.Docker(slot.host);
  if (!docker.ok()) return docker.error();
  runtime::RemoveContainerOptions force;
  force.force = true;
  if (Status removed = (*docker)->RemoveContainer(slot.name, force); !removed.ok())
    return removed.error().Within(Where(slot));
  return (*docker)->RenameContainer(slot.old_id, slot.name);
}

struct BatchOutcome {
  std::vector<RollSlot> updated_start_first;
  std::vector<RollSlot> failed_start_first;
};

// Sorts the batch's outcomes, prints one line per replica and counts them.
BatchOutcome Report(const std::vector<Watched>& batch, RollResult& result) {
  BatchOutcome outcome;
  for (const Watched& w : batch) {
    bool updated = w.progress.state == ReplicaUpdate::kUpdated;
    std::fprintf(stderr, "%s: %s (%s)\n", Where(*w.slot).c_str(), updated ? "updated" : "failed",
                 w.progress.detail.c_str());
    if (updated)
      ++result.updated;
    else
      result.failures.push_back(Where(*w.slot) + ": " + w.progress.detail);
    if (!w.slot->start_first) continue;
    (updated ? outcome.updated_start_first : outcome.failed_start_first).push_back(*w.slot);
  }
  return outcome;
}

// Starts the batch's new replicas: start-first ones beside their old ones,
// stop-first ones in place once their old ones left DNS.
Status StartBatch(DeployContext& context, const planner::Plan& frame, const std::string& service,
                  const std::vector<RollSlot>& batch, const ApplySettings& settings) {
  std::vector<RollSlot> start_first, stop_first;
  for (const RollSlot& slot : batch) (slot.start_first ? start_first : stop_first).push_back(slot);
  if (!start_first.empty()) {
    if (Status aside = MoveAside(context, start_first); !aside.ok()) return aside;
    if (Status up = ApplyWithProgress(context, planner::StartNewStep(frame, service, start_first),
                                      settings);
        !up.ok())
      return up;
  }
  if (stop_first.empty()) return Status::Ok();
  if (Status released = ReleaseSlots(context, service, stop_first); !released.ok()) return released;
  return ApplyWithProgress(context, planner::StopFirstStep(frame, service, stop_first), settings);
}

// Ends the batch's start-first replicas: an updated one's old replica leaves
// DNS and stops; a failed one's old replica takes its place back.
Status FinishStartFirst(DeployContext& context, const planner::Plan& frame,
                        const std::string& service, const BatchOutcome& outcome,
                        const ApplySettings& settings) {
  for (const RollSlot& slot : outcome.failed_start_first)
    if (Status back = PutBack(context, slot); !back.ok()) return back;
  if (outcome.updated_start_first.empty()) return Status::Ok();
  if (Status released = ReleaseSlots(context, service, outcome.updated_start_first); !released.ok())
    return released;
  return ApplyWithProgress(
      context, planner::RemoveOldStep(frame, service, outcome.updated_start_first), settings);
}

Result<RollResult> RollService(DeployContext& context, const planner::Plan& frame,
                               const planner::ServiceRoll& roll, const ApplySettings& settings) {
  for (const std::string& line : planner::DescribeRoll(roll))
    std::fprintf(stderr, "%s\n", line.c_str());
  const planner::ServiceSpec* spec = context.desired.FindService(roll.service);
  if (spec == nullptr) return Error::Internal("", "service " + roll.service + " is not desired");
  RollResult result{roll.service, roll.rollback, 0, {}, RollEnd::kDone};
  for (size_t i = 0; i < roll.batches.size(); ++i) {
    if (i > 0 && roll.policy.delay.count() > 0)
      if (Status slept =
              Sleep(std::chrono::duration_cast<std::chrono::milliseconds>(roll.policy.delay));
          !slept.ok())
        return slept.error();
    const std::vector<RollSlot>& batch = roll.batches[i];
    if (Status started = StartBatch(context, frame, roll.service, batch, settings); !started.ok())
      return started.error();
    auto watched =
        WaitForBatch(context, batch, spec->spec_hash, roll.policy, settings.wait_timeout);
    if (!watched.ok()) return watched.error();
    BatchOutcome outcome = Report(*watched, result);
    if (Status done = FinishStartFirst(context, frame, roll.service, outcome, settings); !done.ok())
      return done.error();
    planner::UpdateStep step =
        planner::JudgeUpdate(static_cast<int>(result.failures.size()), roll.size(), roll.policy);
    if (step == planner::UpdateStep::kPause) result.end = RollEnd::kPaused;
    if (step == planner::UpdateStep::kRollback) result.end = RollEnd::kRollback;
    if (result.end != RollEnd::kDone) break;
  }
  return result;
}

}  // namespace

Result<std::vector<RollResult>> RollServices(DeployContext& context,
                                             const planner::RollingUpdate& update,
                                             const ApplySettings& settings) {
  std::vector<RollResult> results;
  for (const planner::ServiceRoll& roll : update.rolls) {
    auto result = RollService(context, update.rest, roll, settings);
    if (!result.ok()) return result.error();
    results.push_back(std::move(*result));
    if (results.back().end != RollEnd::kDone) break;
  }
  return results;
}

std::string DescribeRollEnd(const RollResult& result, int total) {
  std::string what = result.end == RollEnd::kRollback ? "rolls back" : "paused";
  std::string text = result.service + (result.rollback ? ": rollback " : ": update ") + what +
                     " after " + std::to_string(result.failures.size()) + " of " +
                     std::to_string(total) + " replicas failed";
  for (const std::string& failure : result.failures) text += "\n  " + failure;
  return text;
}

}  // namespace baton::cli
