#include "cli/ps_gather.h"

#include <chrono>

#include "runtime/docker_client.h"
#include "runtime/drain_marker.h"
#include "runtime/project_lease.h"
#include "runtime/state_store.h"

namespace baton::cli {
namespace {

using planner::ActualContainer;

constexpr std::chrono::seconds kNetdStatusTimeout{3};

runtime::DockerClient* ClientOf(DeployContext& context, const std::string& host) {
  for (runtime::HostHandle& handle : context.pool.hosts())
    if (handle.config.name == host && handle.reachable()) return handle.docker.get();
  return nullptr;
}

void ReadWatcherStatus(DeployContext& context, PsExtras& extras) {
  std::vector<runtime::LeaseHost> hosts;
  for (const runtime::HostHandle& host : context.pool.hosts())
    hosts.push_back({host.config.name, host.docker});
  auto json = runtime::ProjectLease::ReadFile(hosts, context.desired.project, "/status.json");
  if (!json.ok()) return;
  auto restarts = ParseWatcherStatus(*json);
  if (!restarts.ok()) return;
  extras.watcher = true;
  extras.restarts = std::move(*restarts);
}

void ReadHosts(DeployContext& context, const planner::ActualState& actual, PsExtras& extras) {
  for (const planner::HostState& host : actual.hosts) {
    runtime::DockerClient* docker = ClientOf(context, host.name);
    if (docker == nullptr || !host.reachable) continue;
    if (host.netd.running && !host.netd.id.empty())
      extras.readiness[host.name] = ReadNetdStatus(*docker, host.netd.id);
    if (!host.drained) continue;
    auto drain = runtime::ReadDrain(*docker);
    extras.drained[host.name] = drain.ok() ? DrainNote{drain->by, drain->since} : DrainNote{};
  }
}

// The services' readiness and autoscale policies: the compose file's when
// there is one, else the record's; the counts in effect from the record.
void ReadServices(DeployContext& context, PsExtras& extras) {
  auto stored = runtime::ReadDesiredState(context.pool, context.desired.project);
  const planner::DesiredRecord* record =
      stored.ok() && stored->has_value() ? &(*stored)->record : nullptr;
  planner::DesiredState from_record;
  const planner::DesiredState* desired = &context.desired;
  if (!context.loaded && record != nullptr) {
    auto loaded = planner::DesiredFromRecord(*record);
    if (!loaded.ok()) return;
    from_record = std::move(*loaded);
    desired = &from_record;
  }
  for (const planner::ServiceSpec& service : desired->services) {
    if (service.readiness) extras.readiness_services.insert(service.name);
    if (!service.autoscale) continue;
    AutoscaleNote note{service.name, *service.autoscale, service.replicas, ""};
    if (record != nullptr) {
      auto scale = record->scale.find(service.name);
      if (scale != record->scale.end()) {
        note.replicas = scale->second.replicas;
        if (scale->second.set_by == planner::ScaleSource::kAutoscale)
          note.reason = scale->second.reason;
      }
    }
    extras.autoscaled.push_back(std::move(note));
  }
}

void ReadLogTails(DeployContext& context, const planner::ActualState& actual, std::time_t now,
                  PsExtras& extras) {
  for (const planner::HostState& host : actual.hosts) {
    runtime::DockerClient* docker = ClientOf(context, host.name);
    if (docker == nullptr) continue;
    for (const ActualContainer& c : host.containers) {
      auto watcher = extras.restarts.find({c.service, c.slot});
      if (!JudgeCrashLoop(c, watcher == extras.restarts.end() ? nullptr : &watcher->second, now))
        continue;
      runtime::LogOptions options;
      options.timestamps = true;
      options.tail = std::to_string(kLogTailLines);
      auto logs = docker->ReadLogs(c.id, options);
      if (logs.ok()) extras.log_tails[c.id] = LastLogLines(logs->out, logs->err, kLogTailLines);
    }
  }
}

}  // namespace

// An old netd has no `status` (it prints its usage and exits 2): unknown.
HostReadiness ReadNetdStatus(runtime::DockerClient& docker, const std::string& netd_id) {
  runtime::ExecSpec spec;
  spec.cmd = {"/baton-netd", "status", "--json"};
  spec.timeout = kNetdStatusTimeout;
  auto ran = docker.Exec(netd_id, spec);
  if (!ran.ok() || ran->exit_code != 0) return {};
  auto status = netd::ParseNetdStatus(ran->output.out);
  if (!status.ok()) return {};
  HostReadiness readiness{true, {}};
  for (netd::ReplicaStatus& replica : status->replicas)
    readiness.by_container[replica.container] = std::move(replica);
  return readiness;
}

PsExtras GatherPsExtras(DeployContext& context, const planner::ActualState& actual,
                        std::time_t now) {
  PsExtras extras;
  ReadWatcherStatus(context, extras);
  ReadHosts(context, actual, extras);
  ReadServices(context, extras);
  ReadLogTails(context, actual, now, extras);
  return extras;
}

}  // namespace baton::cli
