// The dataplane's reconcile: compute what the peers' slices need (pure, in
// routes_plan.cc and iptables_rules.cc), then converge the host on it with
// list-then-change steps that are each idempotent.

#include "runtime/netd/dataplane.h"

#include <map>

#include "runtime/netd/iptables_rules.h"
#include "runtime/netd/routes.h"

namespace baton::netd {

struct Dataplane::State {
  NetdConfig config;
  CommandRunner* runner;
  std::string vxlan_mac;
  // `ip route get` per peer address (auto mode): whether a peer is on this
  // host's segment does not change while netd runs.
  std::map<std::string, bool> on_link;
  // iptables-restore text last applied per table, so an unchanged table is
  // not rewritten on every call.
  std::map<std::string, std::string> restored;
};

namespace {

void Keep(Status& first, Status next) {
  if (first.ok() && !next.ok()) first = std::move(next);
}

// Probes the peers not probed yet; a failed probe is retried on the next call.
void ProbePeers(CommandRunner& runner, const NetdConfig& config, const DataplaneInput& input,
                std::map<std::string, bool>& on_link) {
  if (config.overlay != OverlayMode::kAuto) return;
  for (const RemoteHost& remote : input.remote) {
    const std::string& address = remote.peer.address;
    if (remote.peer.name == config.host || on_link.count(address) != 0) continue;
    auto probe = ProbeOnLink(runner, address);
    if (probe.ok()) on_link[address] = *probe;
  }
}

Status RestoreIfChanged(CommandRunner& runner, const std::string& table, const std::string& text,
                        std::map<std::string, std::string>& restored) {
  auto last = restored.find(table);
  if (last != restored.end() && last->second == text) return Status::Ok();
  restored.erase(table);
  if (auto s = RestoreRules(runner, text); !s.ok()) return s;
  restored[table] = text;
  return Status::Ok();
}

}  // namespace

Dataplane::Dataplane(const NetdConfig& config, CommandRunner& runner)
    : state_(std::make_shared<State>(State{config, &runner, "", {}, {}})) {}

Status Dataplane::Start() {
  State& s = *state_;
  if (auto status = EnsureChainsAndJumps(*s.runner); !status.ok()) return status;
  if (s.config.overlay == OverlayMode::kRoutes) return Status::Ok();
  auto mac = EnsureVxlanDevice(*s.runner, s.config);
  if (!mac.ok()) return mac.error().Within("overlay device");
  s.vxlan_mac = *mac;
  return Status::Ok();
}

Status Dataplane::Apply(const DataplaneInput& input) {
  State& s = *state_;
  ProbePeers(*s.runner, s.config, input, s.on_link);
  DataplanePlan plan = PlanDataplane(s.config, input, s.on_link);
  Status status;
  Keep(status, RestoreIfChanged(*s.runner, "filter", FilterRulesText(s.config, input), s.restored));
  Keep(status, RestoreIfChanged(*s.runner, "nat", NatRulesText(s.config), s.restored));
  Keep(status, RestoreIfChanged(*s.runner, "mangle", MangleRulesText(s.config), s.restored));
  Keep(status, EnsureChainsAndJumps(*s.runner));
  Keep(status, SyncRoutes(*s.runner, plan.routes));
  if (!s.vxlan_mac.empty()) Keep(status, SyncOverlayEntries(*s.runner, plan.fdb, plan.neighbours));
  return status;
}

Status Dataplane::Cleanup() {
  State& s = *state_;
  Status status;
  Keep(status, RemoveChains(*s.runner));
  Keep(status, RemoveRoutes(*s.runner));
  Keep(status, RemoveVxlanDevice(*s.runner));
  s.restored.clear();
  s.vxlan_mac.clear();
  return status;
}

const std::string& Dataplane::vxlan_mac() const { return state_->vxlan_mac; }

}  // namespace baton::netd
