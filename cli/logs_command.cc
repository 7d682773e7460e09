#include "cli/logs_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/deploy_context.h"
#include "cli/exit_status.h"
#include "cli/interrupt.h"
#include "cli/plan_output.h"
#include "runtime/log_merge.h"

namespace baton::cli {
namespace {

struct LogsFlags {
  bool follow = false;
  std::string tail = "all";
  std::string since;
  bool timestamps = false;
  bool no_color = false;
  bool no_log_prefix = false;
  std::vector<std::string> services;
};

Status CheckServices(const DeployContext& context, const std::vector<std::string>& names) {
  if (!context.loaded) return Status::Ok();  // known by name only: any service may have run
  for (const std::string& name : names)
    if (context.desired.FindService(name) == nullptr)
      return Error::NotFound("", "no such service \"" + name + "\"");
  return Status::Ok();
}

Result<runtime::LogReadOptions> ReadOptions(const LogsFlags& flags) {
  runtime::LogReadOptions options;
  options.follow = flags.follow;
  options.tail = flags.tail;
  if (!flags.since.empty()) {
    auto since = runtime::LogTimeToUnix(flags.since, std::chrono::system_clock::now());
    if (!since.ok()) return since.error();
    options.since = *since;
  }
  return options;
}

int RunLogs(const ProjectOptions& project, const HostOptions& hosts, const LogsFlags& flags) {
  auto options = ReadOptions(flags);
  if (!options.ok()) return Fail(options.error());
  auto context = OpenDeployContextOrName(project, hosts);
  if (!context.ok()) return Fail(context.error());
  if (auto known = CheckServices(*context, flags.services); !known.ok()) return Fail(known.error());
  runtime::LogSelection selection{context->desired.project, flags.services};
  runtime::LogView view;
  view.prefix = !flags.no_log_prefix;
  view.color = !flags.no_color && UseColor(STDOUT_FILENO);
  view.show_timestamps = flags.timestamps;
  runtime::StdioLogSink sink(stdout, stderr);
  int problems = 0;
  std::vector<runtime::LogSource> sources =
      runtime::FindLogSources(context->pool, selection, sink, &problems);
  problems +=
      runtime::ShowLogs(context->pool, sources, selection, *options, view, sink, InterruptToken());
  return problems > 0 ? kExitFailed : 0;
}

// "all" or a count of lines.
std::string CheckTail(const std::string& tail) {
  if (tail == "all") return "";
  if (!tail.empty() && tail.size() < 10 &&
      tail.find_first_not_of("0123456789") == std::string::npos)
    return "";
  return "--tail takes a number of lines or \"all\", not \"" + tail + "\"";
}

}  // namespace

void AddLogsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                    std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command =
      app.add_subcommand("logs", "Show the logs of the project's containers on every host");
  command->fallthrough();
  auto flags = std::make_shared<LogsFlags>();
  command->add_flag("-f,--follow", flags->follow, "Follow the output until Ctrl-C");
  command->add_option("-n,--tail", flags->tail, "Lines from the end of each log, or \"all\"")
      ->check(CheckTail)
      ->type_name("N");
  command
      ->add_option("--since", flags->since,
                   "Only lines since a time (2024-05-01T12:00:00Z, unix seconds) or for a "
                   "duration (10m)")
      ->type_name("TIME");
  command->add_flag("-t,--timestamps", flags->timestamps, "Show the engine's timestamps");
  command->add_flag("--no-color", flags->no_color, "Do not colour the prefixes");
  command->add_flag("--no-log-prefix", flags->no_log_prefix, "Do not prefix lines");
  command->add_option("services", flags->services, "Only these services")->type_name("SERVICE");
  command->callback(
      [project, hosts, flags, &run] { run = [=] { return RunLogs(*project, *hosts, *flags); }; });
}

}  // namespace baton::cli
