// The pure part of rolling updates, declared in rolling_update.h.

#include "planner/rolling_update.h"

#include <algorithm>
#include <map>

namespace baton::planner {
namespace {

const ActualContainer* ContainerById(const ActualState& actual, const std::string& host,
                                     const std::string& id) {
  const HostState* state = actual.FindHost(host);
  if (state == nullptr || id.empty()) return nullptr;
  for (const ActualContainer& c : state->containers)
    if (c.id == id) return &c;
  return nullptr;
}

// A recreate that replaces a replica still serving: running with another spec.
const ActualContainer* RollsFrom(const Action& action, const DesiredState& desired,
                                 const ActualState& actual) {
  if (action.kind != ActionKind::kRecreateContainer) return nullptr;
  const ServiceSpec* spec = desired.FindService(action.service);
  const ActualContainer* c = ContainerById(actual, action.host, action.container_id);
  if (spec == nullptr || c == nullptr || !c->running() || c->spec_hash == spec->spec_hash)
    return nullptr;
  return c;
}

UpdatePolicy PolicyOf(const ServiceSpec& spec, bool rollback) {
  if (!spec.service.deploy) return UpdatePolicyOf(std::nullopt);
  return UpdatePolicyOf(rollback ? spec.service.deploy->rollback_config
                                 : spec.service.deploy->update_config);
}

// Start-first per host of one batch: all the batch's replicas on a host
// start beside their old ones, or none does.
void DecideOrder(std::vector<RollSlot>& batch, const ServiceRoll& roll, const DesiredState& desired,
                 const ActualState& actual, const Placement& placement) {
  if (roll.policy.order != UpdateOrder::kStartFirst) return;
  std::map<std::string, int> per_host;
  for (const RollSlot& slot : batch) ++per_host[slot.host];
  std::map<std::string, std::optional<std::string>> blocked;
  for (const auto& [host, count] : per_host)
    blocked[host] = StartFirstBlocked(desired, actual, placement, roll.service, host, count);
  for (RollSlot& slot : batch) {
    const std::optional<std::string>& why = blocked[slot.host];
    slot.start_first = !why.has_value();
    slot.fallback = why.value_or("");
  }
}

ServiceRoll MakeRoll(const std::string& service, std::vector<RollSlot> slots,
                     const DesiredState& desired, const ActualState& actual,
                     const Placement& placement, bool rollback) {
  ServiceRoll roll{service, rollback, PolicyOf(*desired.FindService(service), rollback), {}};
  std::vector<UpdateSlot> order;
  for (const RollSlot& slot : slots) order.push_back({slot.slot, slot.host});
  for (const std::vector<UpdateSlot>& batch : UpdateBatches(order, roll.policy.parallelism)) {
    std::vector<RollSlot> rolled;
    for (const UpdateSlot& member : batch)
      for (const RollSlot& slot : slots)
        if (slot.slot == member.slot && slot.host == member.host) rolled.push_back(slot);
    DecideOrder(rolled, roll, desired, actual, placement);
    roll.batches.push_back(std::move(rolled));
  }
  return roll;
}

Plan Framed(const Plan& frame, std::vector<Action> actions) {
  Plan plan = frame;
  plan.actions = std::move(actions);
  plan.notes.clear();
  plan.errors.clear();
  return plan;
}

Action ContainerActionOf(ActionKind kind, const std::string& service, const RollSlot& slot) {
  Action action{kind, slot.host, service, slot.slot, slot.name, "", slot.reason, {}, "", ""};
  return action;
}

}  // namespace

int ServiceRoll::size() const {
  int total = 0;
  for (const std::vector<RollSlot>& batch : batches) total += static_cast<int>(batch.size());
  return total;
}

RollingUpdate PlanRollingUpdate(const Plan& plan, const DesiredState& desired,
                                const ActualState& actual, const Placement& placement,
                                bool rollback) {
  std::map<std::string, std::vector<RollSlot>> by_service;
  RollingUpdate update;
  update.rest = WithoutActions(plan, [&](const Action& action) {
    const ActualContainer* old = RollsFrom(action, desired, actual);
    if (old == nullptr) return false;
    by_service[action.service].push_back(
        {action.slot, action.host, action.name, old->id, old->spec_hash, action.reason, false, ""});
    return true;
  });
  for (const std::string& service : ServiceOrder(desired)) {
    auto slots = by_service.find(service);
    if (slots == by_service.end()) continue;
    update.rolls.push_back(
        MakeRoll(service, std::move(slots->second), desired, actual, placement, rollback));
  }
  return update;
}

std::vector<std::string> DescribeRoll(const ServiceRoll& roll) {
  int count = roll.size();
  std::vector<std::string> lines{
      roll.service + (roll.rollback ? ": rollback of " : ": rolling update of ") +
      std::to_string(count) + (count == 1 ? " replica, " : " replicas, ") +
      DescribeUpdatePolicy(roll.policy)};
  std::map<std::string, std::string> fallbacks;  // host -> why, once per host
  for (const std::vector<RollSlot>& batch : roll.batches)
    for (const RollSlot& slot : batch)
      if (!slot.fallback.empty()) fallbacks.emplace(slot.host, slot.fallback);
  for (const auto& [host, why] : fallbacks)
    lines.push_back(roll.service + ": stop-first on " + host + ": " + why);
  return lines;
}

std::string ReplacedName(const std::string& name) { return name + "-replaced"; }

Plan StopFirstStep(const Plan& frame, const std::string& service,
                   const std::vector<RollSlot>& slots) {
  std::vector<Action> actions;
  for (const RollSlot& slot : slots) {
    Action action = ContainerActionOf(ActionKind::kRecreateContainer, service, slot);
    action.container_id = slot.old_id;
    actions.push_back(std::move(action));
  }
  return Framed(frame, std::move(actions));
}

Plan StartNewStep(const Plan& frame, const std::string& service,
                  const std::vector<RollSlot>& slots) {
  std::vector<Action> actions;
  for (const RollSlot& slot : slots)
    actions.push_back(ContainerActionOf(ActionKind::kCreateContainer, service, slot));
  return Framed(frame, std::move(actions));
}

Plan RemoveOldStep(const Plan& frame, const std::string& service,
                   const std::vector<RollSlot>& slots) {
  std::vector<Action> actions;
  for (const RollSlot& slot : slots) {
    Action action = ContainerActionOf(ActionKind::kRemoveContainer, service, slot);
    action.name = ReplacedName(slot.name);
    action.container_id = slot.old_id;
    action.reason = "replaced";
    actions.push_back(std::move(action));
  }
  return Framed(frame, std::move(actions));
}

ReplicaProgress JudgeNewReplica(const ActualContainer* replica, const std::string& spec_hash,
                                std::chrono::nanoseconds running_for, std::optional<bool> in_dns,
                                const UpdatePolicy& policy) {
  using enum ReplicaUpdate;
  if (replica == nullptr || replica->spec_hash != spec_hash) return {kWaiting, "not created yet"};
  if (replica->state == "exited" || replica->state == "dead")
    return {kFailed, "exited with code " + std::to_string(replica->exit_code)};
  if (replica->restart_count > 0 || replica->state == "restarting")
    return {kFailed, "restarted " + std::to_string(std::max<int64_t>(replica->restart_count, 1)) +
                         (replica->restart_count > 1 ? " times" : " time")};
  if (replica->health == "unhealthy") return {kFailed, "unhealthy"};
  if (replica->state != "running") return {kWaiting, replica->state};
  if (replica->health == "starting") return {kWaiting, "health starting"};
  if (replica->health.empty() && running_for < policy.monitor) return {kWaiting, "monitoring"};
  if (in_dns.has_value() && !*in_dns) return {kWaiting, "not in DNS yet"};
  return {kUpdated, replica->health.empty() ? "running" : "healthy"};
}

}  // namespace baton::planner
