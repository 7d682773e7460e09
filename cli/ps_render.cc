#include "cli/ps_render.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>
#include <vector>

#include "cli/table.h"

namespace baton::cli {
namespace {

using planner::ActualContainer;

// One container with everything ps says of it.
struct Row {
  const ActualContainer* container;
  std::string host;
  std::optional<CrashLoop> loop;
  Readiness readiness;
};

std::vector<Row> SortedRows(const planner::ActualState& actual, const PsExtras& extras,
                            std::time_t now) {
  std::vector<Row> rows;
  for (const planner::HostState& host : actual.hosts) {
    for (const ActualContainer& c : host.containers) {
      auto watcher = extras.restarts.find({c.service, c.slot});
      const WatcherRestarts* restarts =
          watcher == extras.restarts.end() ? nullptr : &watcher->second;
      rows.push_back(
          {&c, host.name, JudgeCrashLoop(c, restarts, now), ReadinessOf(c, host.name, extras)});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.container->service, a.container->slot, a.host, a.container->name) <
           std::tie(b.container->service, b.container->slot, b.host, b.container->name);
  });
  return rows;
}

std::string Dash(const std::string& text) { return text.empty() ? "-" : text; }

std::string PortsText(const std::vector<std::string>& ports) {
  std::string text;
  for (const std::string& port : ports) text += (text.empty() ? "" : ", ") + port;
  return Dash(text);
}

std::string Replica(const Row& row) {
  return row.container->service + "/" + std::to_string(row.container->slot) + " on " + row.host;
}

// The lines under the table that are about hosts and services.
std::string NoteLines(const planner::ActualState& actual, const PsExtras& extras) {
  std::string out;
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) out += host.name + "  unreachable: " + host.error + "\n";
  for (const planner::HostState& host : actual.hosts) {
    if (!host.reachable || !host.drained) continue;
    auto note = extras.drained.find(host.name);
    out += DrainText(host.name, note == extras.drained.end() ? DrainNote{} : note->second) + "\n";
  }
  for (const AutoscaleNote& note : extras.autoscaled) out += AutoscaleText(note) + "\n";
  return out;
}

// Running replicas netd keeps out of DNS, and the log tails of crash loops.
std::string ReplicaLines(const std::vector<Row>& rows, const PsExtras& extras) {
  std::string out;
  for (const Row& row : rows) {
    if (row.container->running() && row.readiness.in_dns == false && !row.readiness.reason.empty())
      out += Replica(row) + " not in DNS: " + row.readiness.reason + "\n";
  }
  for (const Row& row : rows) {
    auto tail = extras.log_tails.find(row.container->id);
    if (!row.loop || tail == extras.log_tails.end()) continue;
    out += "\n" + Replica(row) + " (" + row.container->name + ") is crash-looping; ";
    if (tail->second.empty()) {
      out += "its log is empty\n";
      continue;
    }
    out += "last log lines:\n";
    for (const std::string& line : tail->second) out += "  " + line + "\n";
  }
  return out;
}

nlohmann::json CrashLoopJson(const std::optional<CrashLoop>& loop) {
  if (!loop) return nullptr;
  nlohmann::json json = {{"exit_code", loop->exit_code},
                         {"restarts", loop->restarts},
                         {"counted_by", loop->by_watcher ? "watcher" : "engine"},
                         {"next_restart_in", nullptr}};
  if (loop->next_in) json["next_restart_in"] = *loop->next_in;
  return json;
}

nlohmann::json ContainerJson(const Row& row, const PsExtras& extras) {
  const ActualContainer& c = *row.container;
  nlohmann::json json = {{"service", c.service},
                         {"slot", c.slot},
                         {"name", c.name},
                         {"id", c.id},
                         {"host", row.host},
                         {"state", c.state},
                         {"status", StateText(c, row.loop)},
                         {"health", c.health},
                         {"exit_code", c.exit_code},
                         {"ports", c.ports},
                         {"image", c.image},
                         {"created", c.created},
                         {"started_at", c.started_at},
                         {"finished_at", c.finished_at},
                         {"restart_count", c.restart_count},
                         {"crash_loop", CrashLoopJson(row.loop)},
                         {"ready", row.readiness.column},
                         {"in_dns", nullptr},
                         {"ready_reason", row.readiness.reason}};
  if (row.readiness.in_dns) json["in_dns"] = *row.readiness.in_dns;
  auto tail = extras.log_tails.find(c.id);
  if (row.loop && tail != extras.log_tails.end()) json["log_tail"] = tail->second;
  return json;
}

nlohmann::json HostsJson(const planner::ActualState& actual, const PsExtras& extras) {
  nlohmann::json drained = nlohmann::json::array();
  for (const planner::HostState& host : actual.hosts) {
    if (!host.reachable || !host.drained) continue;
    auto note = extras.drained.find(host.name);
    DrainNote n = note == extras.drained.end() ? DrainNote{} : note->second;
    drained.push_back({{"host", host.name}, {"by", n.by}, {"since", n.since}});
  }
  return drained;
}

nlohmann::json AutoscaleJson(const PsExtras& extras) {
  nlohmann::json autoscaled = nlohmann::json::array();
  for (const AutoscaleNote& n : extras.autoscaled)
    autoscaled.push_back({{"service", n.service},
                          {"min", n.policy.min},
                          {"max", n.policy.max},
                          {"cpu_percent", n.policy.cpu_percent},
                          {"replicas", n.replicas},
                          {"reason", n.reason}});
  return autoscaled;
}

}  // namespace

std::string Age(const std::string& timestamp, std::time_t now) {
  std::time_t then = ParseTimestamp(timestamp);
  if (then < 0) return "-";
  long long seconds = std::max<long long>(0, static_cast<long long>(now - then));
  if (seconds < 60) return std::to_string(seconds) + "s";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m";
  if (seconds < 48 * 3600) return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 86400) + "d";
}

std::string RenderPs(const planner::ActualState& actual, const PsExtras& extras, std::time_t now) {
  std::vector<std::vector<std::string>> table{
      {"SERVICE", "SLOT", "CONTAINER", "HOST", "STATE", "HEALTH", "READY", "PORTS", "AGE"}};
  std::vector<Row> rows = SortedRows(actual, extras, now);
  for (const Row& row : rows) {
    const ActualContainer& c = *row.container;
    // A running container's age counts from its start, others' from creation.
    const std::string& since = c.running() ? c.started_at : c.created;
    table.push_back({c.service, std::to_string(c.slot), c.name, row.host, StateText(c, row.loop),
                     Dash(c.health), row.readiness.column, PortsText(c.ports), Age(since, now)});
  }
  return RenderTable(table) + NoteLines(actual, extras) + ReplicaLines(rows, extras);
}

std::string RenderPsJson(const planner::ActualState& actual, const PsExtras& extras,
                         std::time_t now) {
  nlohmann::json containers = nlohmann::json::array();
  for (const Row& row : SortedRows(actual, extras, now))
    containers.push_back(ContainerJson(row, extras));
  nlohmann::json unreachable = nlohmann::json::array();
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) unreachable.push_back({{"host", host.name}, {"error", host.error}});
  nlohmann::json root = {
      {"project", actual.project},           {"containers", containers},
      {"unreachable_hosts", unreachable},    {"drained_hosts", HostsJson(actual, extras)},
      {"autoscaled", AutoscaleJson(extras)}, {"watcher", extras.watcher}};
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace baton::cli
