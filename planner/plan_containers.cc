// ContainerActions and Leftovers, declared in plan_up.h: which replicas an
// up creates, recreates, starts and removes on one host.

#include <algorithm>
#include <optional>

#include "planner/plan_up.h"

namespace baton::planner {
namespace {

// The slot's container on `host`: the one with the replica's name, else
// any other of the slot (a start-first update interrupted after it renamed
// the old replica aside, before the new one was made).
const ActualContainer* Existing(const HostState& host, const SlotKey& key,
                                const std::string& name) {
  const ActualContainer* other = nullptr;
  for (const ActualContainer& c : host.containers) {
    if (c.service != key.first || c.slot != key.second) continue;
    if (c.name == name) return &c;
    if (other == nullptr) other = &c;
  }
  return other;
}

// The slot's replica placed on `host` under its own name, when that is not
// `c`: then `c` is an old replica a start-first update renamed aside.
const Assignment* ReplacedBy(const UpContext& context, const ActualContainer& c,
                             const HostState& host) {
  auto here = context.assigned.find(host.name);
  if (here == context.assigned.end()) return nullptr;
  for (const Assignment* a : here->second) {
    if (a->service != c.service || a->slot != c.slot || a->container_name == c.name) continue;
    for (const ActualContainer& other : host.containers)
      if (other.name == a->container_name) return a;
  }
  return nullptr;
}

// The container restart policy compose applies: `restart`, else
// deploy.restart_policy's condition in container terms.
std::string RestartPolicy(const compose::Service& service) {
  if (!service.restart.empty()) return service.restart;
  if (!service.deploy || !service.deploy->restart_policy) return "";
  const std::string& condition = service.deploy->restart_policy->condition;
  if (condition == "none") return "no";
  if (condition == "any") return "always";
  return condition;
}

// A one-shot job that finished well: starting it again would rerun it.
bool FinishedJob(const ActualContainer& c, const compose::Service& service) {
  if (c.state != "exited" || c.exit_code != 0) return false;
  std::string policy = RestartPolicy(service);
  return policy.empty() || policy == "no" || policy.rfind("on-failure", 0) == 0;
}

// "environment, image changed": the parts whose short hashes differ.
std::string ChangedParts(const ServiceSpec& spec, const ActualContainer& c) {
  std::set<std::string> keys;
  for (const auto& [key, hash] : spec.part_hashes) keys.insert(key);
  for (const auto& [key, hash] : c.part_hashes) keys.insert(key);
  std::string changed;
  for (const std::string& key : keys) {
    auto want = spec.part_hashes.find(key);
    auto have = c.part_hashes.find(key);
    bool same = want != spec.part_hashes.end() && have != c.part_hashes.end() &&
                want->second == have->second;
    if (!same) changed += (changed.empty() ? "" : ", ") + key;
  }
  return (changed.empty() ? "configuration" : changed) + " changed";
}

std::string MovedFrom(const UpContext& context, const SlotKey& key, const std::string& host) {
  auto it = context.container_hosts.find(key);
  if (it == context.container_hosts.end()) return "";
  for (const std::string& other : it->second)
    if (other != host) return "moved from " + other;
  return "";
}

// Nothing when the replica runs, is paused or on its way out, or is a job
// that finished; else start it.
bool NeedsStart(const ActualContainer& c, const compose::Service& service) {
  if (c.running() || c.state == "paused" || c.state == "removing") return false;
  return !FinishedJob(c, service);
}

std::optional<Action> ContainerAction(const UpContext& context, const HostState& host,
                                      const Assignment& a) {
  const ServiceSpec& spec = *context.desired.FindService(a.service);
  SlotKey key{a.service, a.slot};
  Action action{
      ActionKind::kCreateContainer, host.name, a.service, a.slot, a.container_name, "", "", {}, "", ""};
  const ActualContainer* c = Existing(host, key, a.container_name);
  if (!c) {
    action.reason = MovedFrom(context, key, host.name);
    return action;
  }
  action.container_id = c->id;
  if (c->state == "dead") {
    action.kind = ActionKind::kRecreateContainer;
    action.reason = "the container is dead";
  } else if (c->spec_hash != spec.spec_hash) {
    action.kind = ActionKind::kRecreateContainer;
    action.reason = ChangedParts(spec, *c);
  } else if (NeedsStart(*c, spec.service)) {
    action.kind = ActionKind::kStartContainer;
  } else {
    return std::nullopt;
  }
  return action;
}

bool PlacedHere(const UpContext& context, const SlotKey& key, const std::string& host) {
  auto it = context.placed_on.find(key);
  return it != context.placed_on.end() && it->second == host;
}

// Whether and why a container of a wanted service that no slot placed on its
// host keeps goes; nullopt when it stays.
std::optional<Leftover> LeftoverOf(const UpContext& context, const ServiceSpec& spec,
                                   const ActualContainer& c, const std::string& host) {
  SlotKey key{c.service, c.slot};
  if (auto it = context.placed_on.find(key); it != context.placed_on.end()) {
    const std::vector<std::string>& holders = context.container_hosts.at(key);
    if (std::count(holders.begin(), holders.end(), it->second) > 0)
      return Leftover{&c, "duplicate of the replica on " + it->second, ""};
    return Leftover{&c, "moved to " + it->second, it->second};
  }
  if (context.unplaced.count(key)) return std::nullopt;
  if (!spec.global) return Leftover{&c, "scaled down", ""};
  if (context.unplaced_services.count(spec.name)) return std::nullopt;
  auto here = context.assigned.find(host);
  if (here != context.assigned.end())
    for (const Assignment* a : here->second)
      if (a->service == spec.name) return Leftover{&c, "duplicate of " + a->container_name, ""};
  return Leftover{&c, "no longer fits " + host, ""};
}

}  // namespace

std::vector<Action> ContainerActions(const UpContext& context, const HostState& host) {
  std::vector<Action> actions;
  auto it = context.assigned.find(host.name);
  if (it == context.assigned.end()) return actions;
  for (const Assignment* a : it->second)
    if (std::optional<Action> action = ContainerAction(context, host, *a))
      actions.push_back(std::move(*action));
  return actions;
}

std::vector<Leftover> Leftovers(const UpContext& context, const HostState& host) {
  std::vector<Leftover> out;
  for (const ActualContainer& c : host.containers) {
    if (const Assignment* a = ReplacedBy(context, c, host)) {
      out.push_back({&c, "replaced by " + a->container_name, ""});
      continue;
    }
    if (PlacedHere(context, {c.service, c.slot}, host.name)) continue;
    const ServiceSpec* spec = context.desired.FindService(c.service);
    if (!spec) {
      // Never remove other services' containers when up names services.
      if (context.options.remove_orphans && context.options.services.empty())
        out.push_back({&c, "not in the compose file", ""});
      continue;
    }
    if (!context.scope.count(c.service)) continue;
    if (std::optional<Leftover> leftover = LeftoverOf(context, *spec, c, host.name))
      out.push_back(std::move(*leftover));
  }
  return out;
}

}  // namespace baton::planner
