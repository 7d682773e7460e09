#include "cli/ps_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>
#include <vector>

#include "cli/apply_steps.h"
#include "cli/deploy_context.h"
#include "cli/table.h"
#include "runtime/observe.h"

namespace baton::cli {
namespace {

using planner::ActualContainer;

struct Row {
  const ActualContainer* container;
  std::string host;
};

std::vector<Row> SortedRows(const planner::ActualState& actual) {
  std::vector<Row> rows;
  for (const planner::HostState& host : actual.hosts)
    for (const ActualContainer& container : host.containers)
      rows.push_back({&container, host.name});
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.container->service, a.container->slot, a.host, a.container->name) <
           std::tie(b.container->service, b.container->slot, b.host, b.container->name);
  });
  return rows;
}

std::string Dash(const std::string& text) { return text.empty() ? "-" : text; }

std::string StateText(const ActualContainer& c) {
  if (c.state == "exited") return "exited (" + std::to_string(c.exit_code) + ")";
  return c.state;
}

std::string PortsText(const std::vector<std::string>& ports) {
  std::string text;
  for (const std::string& port : ports) text += (text.empty() ? "" : ", ") + port;
  return Dash(text);
}

// Seconds since the epoch for "2026-11-28T19:02:11.123456789Z" or with an
// offset "+01:00"; -1 when unreadable or before 1971 (Docker's zero time).
std::time_t ParseTimestamp(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return -1;
  if (tm.tm_year < 1971) return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t seconds = timegm(&tm);
  size_t zone = text.find_first_of("Z+-", static_cast<size_t>(consumed));
  int hours = 0, minutes = 0;
  if (zone != std::string::npos && text[zone] != 'Z' &&
      std::sscanf(text.c_str() + zone + 1, "%2d:%2d", &hours, &minutes) == 2)
    seconds -= (text[zone] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
  return seconds;
}

nlohmann::json ContainerJson(const Row& row) {
  const ActualContainer& c = *row.container;
  return {{"service", c.service}, {"slot", c.slot},           {"name", c.name},
          {"id", c.id},           {"host", row.host},         {"state", c.state},
          {"health", c.health},   {"exit_code", c.exit_code}, {"ports", c.ports},
          {"image", c.image},     {"created", c.created},     {"started_at", c.started_at}};
}

planner::ActualState Observe(DeployContext& context) {
  if (context.loaded) return runtime::ObserveProject(context.desired, context.pool);
  return runtime::ObserveProjectByName(context.desired.project, context.pool);
}

int RunPs(const ProjectOptions& project, const HostOptions& hosts, const std::string& format) {
  auto context = OpenDeployContextOrName(project, hosts);
  if (!context.ok()) return Fail(context.error());
  planner::ActualState actual = Observe(*context);
  std::string text = format == "json" ? RenderPsJson(actual) : RenderPs(actual, std::time(nullptr));
  std::fputs(text.c_str(), stdout);
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) return kExitFailed;
  return 0;
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

std::string RenderPs(const planner::ActualState& actual, std::time_t now) {
  std::vector<std::vector<std::string>> table{
      {"SERVICE", "SLOT", "CONTAINER", "HOST", "STATE", "HEALTH", "PORTS", "AGE"}};
  for (const Row& row : SortedRows(actual)) {
    const ActualContainer& c = *row.container;
    // A running container's age counts from its start, others' from creation.
    const std::string& since = c.running() ? c.started_at : c.created;
    table.push_back({c.service, std::to_string(c.slot), c.name, row.host, StateText(c),
                     Dash(c.health), PortsText(c.ports), Age(since, now)});
  }
  std::string out = RenderTable(table);
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) out += host.name + "  unreachable: " + host.error + "\n";
  return out;
}

std::string RenderPsJson(const planner::ActualState& actual) {
  nlohmann::json containers = nlohmann::json::array();
  for (const Row& row : SortedRows(actual)) containers.push_back(ContainerJson(row));
  nlohmann::json unreachable = nlohmann::json::array();
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) unreachable.push_back({{"host", host.name}, {"error", host.error}});
  nlohmann::json root = {
      {"project", actual.project}, {"containers", containers}, {"unreachable_hosts", unreachable}};
  return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void AddPsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                  std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command = app.add_subcommand("ps", "List the project's containers on every host");
  command->fallthrough();
  auto format = std::make_shared<std::string>("table");
  command->add_option("--format", *format, "Output format: table (default) or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->type_name("FORMAT");
  command->callback(
      [project, hosts, format, &run] { run = [=] { return RunPs(*project, *hosts, *format); }; });
}

}  // namespace baton::cli
