#include "cli/hosts_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <nlohmann/json.hpp>

#include "cli/drain_command.h"
#include "cli/exit_status.h"
#include "cli/table.h"
#include "runtime/docker_client.h"
#include "runtime/host_pool.h"
#include "transport/docker_contexts.h"
#include "transport/host_connection.h"
#include "transport/hosts_file.h"
#include "transport/hosts_import.h"

namespace baton::cli {
namespace {

using Clock = std::chrono::steady_clock;
using transport::HostConfig;

constexpr std::chrono::milliseconds kDockerCallTimeout{15000};

std::string LabelsText(const std::map<std::string, std::string>& labels) {
  std::string text;
  for (const auto& [key, value] : labels) text += (text.empty() ? "" : ",") + key + "=" + value;
  return text.empty() ? "-" : text;
}

std::string Dash(const std::string& text) { return text.empty() ? "-" : text; }

std::string Milliseconds(std::chrono::microseconds duration) {
  double ms = static_cast<double>(duration.count()) / 1000.0;
  char text[32];
  std::snprintf(text, sizeof text, ms < 10 ? "%.2f ms" : "%.1f ms", ms);
  return text;
}

std::string Bytes(std::int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1 << 30));
  return text;
}

// --- check

// Asks the engine behind `socket` for the facts `check` shows.
Status ReadDockerFacts(const HostConfig& host, const std::filesystem::path& socket,
                       const transport::SshOptions& options, HostCheck& check) {
  runtime::DockerOptions docker;
  docker.host = host.name;
  docker.socket_path = socket.string();
  docker.connect_timeout = options.connect_timeout;
  docker.call_timeout = kDockerCallTimeout;
  auto client = runtime::DockerClient::Connect(docker);
  if (!client.ok()) return client.error();
  auto info = client->Info();
  if (!info.ok()) return info.error();
  check.docker_version = client->engine_version().version;
  check.os = client->engine_version().os;
  check.arch = client->engine_version().arch;
  check.cpus = info->cpus;
  check.memory_bytes = info->memory_bytes;
  check.containers_running = info->containers_running;
  return Status::Ok();
}

HostCheck CheckHost(const HostConfig& host, const transport::SshOptions& options) {
  Clock::time_point start = Clock::now();
  HostCheck check;
  check.name = host.name;
  check.address = host.address();
  check.labels = host.labels;
  auto connection = transport::HostConnection::Open(host, options);
  Status status = connection.ok() ? Status::Ok() : Status(connection.error());
  if (status.ok()) {
    check.ssh_round_trip = (*connection)->ssh_round_trip();
    status = ReadDockerFacts(host, (*connection)->socket_path(), options, check);
    // The tunnel knows better than the Docker client why a channel failed.
    if (!status.ok() && !(*connection)->Health().ok()) status = (*connection)->Health();
  }
  check.reachable = status.ok();
  if (!status.ok()) check.error = status.error().ToString();
  check.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return check;
}

int RunCheck(const HostOptions& options, const std::vector<std::string>& names,
             const std::string& format) {
  auto inventory = SelectHostsFromProcess(options, "");
  if (!inventory.ok()) return Fail(inventory.error());
  auto hosts = HostsNamed(inventory->hosts, names);
  if (!hosts.ok()) return Fail(hosts.error());
  auto ssh = MakeSshOptions(options, inventory->settings);
  if (!ssh.ok()) return Fail(ssh.error());
  std::vector<HostCheck> checks = CheckHosts(*hosts, *ssh);
  std::fputs((format == "json" ? RenderHostChecksJson(checks) : RenderHostChecks(checks)).c_str(),
             stdout);
  for (const HostCheck& check : checks)
    if (!check.reachable) return kExitFailed;
  return 0;
}

// --- ls

int RunList(const HostOptions& options, const std::string& format) {
  auto inventory = SelectHostsFromProcess(options, "");
  if (!inventory.ok()) return Fail(inventory.error());
  if (format == "json") {
    nlohmann::json hosts = nlohmann::json::array();
    for (const HostConfig& host : inventory->hosts) {
      hosts.push_back({{"name", host.name},
                       {"address", host.address()},
                       {"socket", host.socket},
                       {"identity_file", host.identity_file.string()},
                       {"known_hosts_file", host.known_hosts_file.string()},
                       {"labels", host.labels}});
    }
    std::printf("%s\n", hosts.dump(2).c_str());
    return 0;
  }
  std::vector<std::vector<std::string>> rows{{"NAME", "ADDRESS", "LABELS"}};
  for (const HostConfig& host : inventory->hosts)
    rows.push_back({host.name, host.address(), LabelsText(host.labels)});
  std::fputs(RenderTable(rows).c_str(), stdout);
  return 0;
}

// --- import-contexts

std::filesystem::path ImportTarget(const HostOptions& options) {
  if (!options.hosts_file.empty()) return options.hosts_file;
  if (const char* env = std::getenv("BATON_HOSTS"); env != nullptr && *env != '\0') return env;
  return transport::kDefaultHostsFileName;
}

void PrintImport(const std::filesystem::path& file, const transport::ImportOutcome& outcome) {
  using Action = transport::ImportOutcome::Action;
  for (const std::string& skipped : outcome.plan.skipped)
    std::printf("skipped %s\n", skipped.c_str());
  if (outcome.action == Action::kPrinted) {
    std::fprintf(stderr, "baton: %s was left unchanged: %s\nadd these entries to its hosts list:\n",
                 file.c_str(), outcome.reason.c_str());
    std::fputs(outcome.printed.c_str(), stdout);
    return;
  }
  for (const HostConfig& host : outcome.plan.added)
    std::printf("added %s (%s)\n", host.name.c_str(), host.address().c_str());
  if (outcome.action == Action::kNothingToAdd) {
    std::printf("no new ssh:// contexts; %s is unchanged\n", file.c_str());
    return;
  }
  std::printf("%s %s; check the new hosts with: baton hosts check --accept-new-host-keys\n",
              outcome.action == Action::kCreated ? "created" : "updated", file.c_str());
}

int RunImport(const HostOptions& options) {
  std::filesystem::path config =
      transport::DockerConfigDir(std::getenv("DOCKER_CONFIG"), std::getenv("HOME"));
  if (config.empty()) return Fail(Error::Invalid("", "neither DOCKER_CONFIG nor HOME is set"));
  std::filesystem::path file = ImportTarget(options);
  auto outcome = transport::ImportDockerContexts(config, file);
  if (!outcome.ok()) return Fail(outcome.error());
  PrintImport(file, *outcome);
  return outcome->action == transport::ImportOutcome::Action::kPrinted ? kExitFailed : 0;
}

// --- wiring

void AddFormatOption(CLI::App& command, std::string& format) {
  command.add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->type_name("FORMAT");
}

}  // namespace

std::string DescribeDrainedReplicas(
    const std::string& host, const std::map<std::string, std::vector<std::string>>& replicas) {
  if (replicas.empty()) return "no replicas run on " + host + "\n";
  std::string text = "replicas on " + host +
                     " move at the next `baton up` of their project, or at once under "
                     "`baton watch`:\n";
  for (const auto& [project, list] : replicas) {
    std::string line;
    for (const std::string& replica : list) line += (line.empty() ? "" : ", ") + replica;
    text += "  " + project + ": " + line + "\n";
  }
  return text;
}

Result<std::vector<HostConfig>> HostsNamed(const std::vector<HostConfig>& hosts,
                                           const std::vector<std::string>& names) {
  if (names.empty()) return hosts;
  std::string known;
  for (const HostConfig& host : hosts) known += (known.empty() ? "" : ", ") + host.name;
  for (const std::string& name : names) {
    auto same = [&name](const HostConfig& host) { return host.name == name; };
    if (std::none_of(hosts.begin(), hosts.end(), same))
      return Error::NotFound("", "unknown host \"" + name + "\" (known: " + known + ")");
  }
  std::vector<HostConfig> chosen;
  for (const HostConfig& host : hosts)
    if (std::find(names.begin(), names.end(), host.name) != names.end()) chosen.push_back(host);
  return chosen;
}

std::vector<HostCheck> CheckHosts(const std::vector<HostConfig>& hosts,
                                  const transport::SshOptions& options) {
  std::vector<std::future<HostCheck>> pending;
  for (const HostConfig& host : hosts)
    pending.push_back(
        std::async(std::launch::async, [&host, &options] { return CheckHost(host, options); }));
  std::vector<HostCheck> checks;
  for (auto& check : pending) checks.push_back(check.get());
  return checks;
}

std::string RenderHostChecks(const std::vector<HostCheck>& checks) {
  std::vector<std::vector<std::string>> rows{{"NAME", "ADDRESS", "REACHABLE", "SSH RTT", "DOCKER",
                                              "OS/ARCH", "CPUS", "MEMORY", "RUNNING", "LABELS",
                                              "ERROR"}};
  for (const HostCheck& c : checks) {
    bool up = c.reachable;
    rows.push_back({c.name, c.address, up ? "yes" : "no",
                    c.ssh_round_trip ? Milliseconds(*c.ssh_round_trip) : "-",
                    Dash(c.docker_version), up ? c.os + "/" + c.arch : "-",
                    up ? std::to_string(c.cpus) : "-", up ? Bytes(c.memory_bytes) : "-",
                    up ? std::to_string(c.containers_running) : "-", LabelsText(c.labels),
                    Dash(c.error)});
  }
  return RenderTable(rows);
}

std::string RenderHostChecksJson(const std::vector<HostCheck>& checks) {
  nlohmann::json rows = nlohmann::json::array();
  for (const HostCheck& c : checks) {
    nlohmann::json row = {{"name", c.name},
                          {"address", c.address},
                          {"labels", c.labels},
                          {"reachable", c.reachable},
                          {"ssh_round_trip_ms", nullptr},
                          {"check_ms", c.elapsed.count()},
                          {"error", c.error.empty() ? nlohmann::json() : nlohmann::json(c.error)}};
    if (c.ssh_round_trip)
      row["ssh_round_trip_ms"] = static_cast<double>(c.ssh_round_trip->count()) / 1000.0;
    if (c.reachable) {
      row["docker_version"] = c.docker_version;
      row["os"] = c.os;
      row["arch"] = c.arch;
      row["cpus"] = c.cpus;
      row["memory_bytes"] = c.memory_bytes;
      row["containers_running"] = c.containers_running;
    }
    rows.push_back(std::move(row));
  }
  return rows.dump(2) + "\n";
}

void AddHostsCommand(CLI::App& app, Runner& run) {
  auto options = std::make_shared<HostOptions>();
  AddHostOptions(app, *options);
  AddHostsCommand(app, options, run);
}

void AddHostsCommand(CLI::App& app, std::shared_ptr<const HostOptions> options, Runner& run) {
  AddHostsCommand(app, std::make_shared<const ProjectOptions>(), std::move(options), run);
}

void AddHostsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> options, Runner& run) {
  CLI::App* hosts = app.add_subcommand("hosts", "List and check the Docker hosts");
  hosts->require_subcommand(1);
  hosts->fallthrough();  // the host flags are also accepted after `hosts ...`
  auto format = std::make_shared<std::string>("table");

  CLI::App* ls = hosts->add_subcommand("ls", "List the configured hosts (no connection)");
  ls->fallthrough();
  AddFormatOption(*ls, *format);
  ls->callback([options, format, &run] { run = [=] { return RunList(*options, *format); }; });

  CLI::App* check = hosts->add_subcommand("check", "Connect to the hosts and report on each");
  check->fallthrough();
  AddFormatOption(*check, *format);
  auto names = std::make_shared<std::vector<std::string>>();
  check->add_option("names", *names, "Only these hosts (default: all)")->type_name("NAME");
  check->callback([options, names, format, &run] {
    run = [=] { return RunCheck(*options, *names, *format); };
  });

  CLI::App* import = hosts->add_subcommand(
      "import-contexts", "Add the docker CLI's ssh:// contexts to the hosts file");
  import->fallthrough();
  import->callback([options, &run] { run = [=] { return RunImport(*options); }; });

  auto host = std::make_shared<std::string>();
  CLI::App* drain = hosts->add_subcommand(
      "drain", "Mark a host drained and move its replicas off it gracefully");
  drain->fallthrough();
  drain->add_option("host", *host, "The host")->required()->type_name("HOST");
  auto flags = std::make_shared<DrainFlags>();
  drain->add_flag("--no-wait", flags->no_wait,
                  "Only mark the host; `baton watch` or the next `up` moves the replicas");
  drain->add_option("--timeout", flags->timeout,
                    "How long new replicas may take to run and be healthy (default 60s)")
      ->type_name("DURATION");
  drain->callback([options, project, host, flags, &run] {
    // -p names the one project to move now; without it every recorded project moves.
    if (!project->project_name.empty()) flags->projects = {project->project_name};
    run = [=] { return RunDrain(*options, *flags, *host); };
  });

  CLI::App* activate = hosts->add_subcommand("activate", "Remove a host's drain mark");
  activate->fallthrough();
  activate->add_option("host", *host, "The host")->required()->type_name("HOST");
  activate->callback(
      [options, host, &run] { run = [=] { return RunActivate(*options, *host); }; });
}

}  // namespace baton::cli
