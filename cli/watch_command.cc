#include "cli/watch_command.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <string>

#include "base/file_system.h"
#include "cli/daemonize.h"
#include "cli/exit_status.h"
#include "cli/interrupt.h"
#include "cli/project_options.h"
#include "cli/watch_daemon.h"
#include "compose/load.h"
#include "transport/duration.h"

namespace baton::cli {
namespace {

struct WatchFlags {
  bool all = false;
  std::string resync = "30s";
  std::string heartbeat = "5s";
  std::string grace = "10s";
  std::string autoscale_warm_up = "30s";
  std::string metrics = "127.0.0.1:9479";
  std::string log_format = "logfmt";
  bool detach = false;
  std::string log_file;
  std::string pid_file;
  std::string id;
};

Result<std::chrono::milliseconds> Duration(const std::string& flag, const std::string& text) {
  auto duration = transport::ParseDuration(text);
  if (!duration.ok()) return Error::Invalid(flag + " " + text, duration.error().message);
  return *duration;
}

// -p (or $COMPOSE_PROJECT_NAME) names the one project; --all takes every
// recorded project instead; without either, the compose file (-f, or the one
// found as compose finds it) names it, as for every other command.
Result<std::vector<std::string>> Projects(const ProjectOptions& project, const WatchFlags& flags) {
  std::string name = project.project_name;
  if (name.empty())
    if (const char* env = std::getenv("COMPOSE_PROJECT_NAME")) name = env;
  if (flags.all && (!name.empty() || !project.files.empty()))
    return Error::Invalid("", "watch takes -p PROJECT, -f FILE or --all, not two of them");
  if (flags.all) return std::vector<std::string>{};
  if (!name.empty()) return std::vector<std::string>{name};
  auto options = LoadOptionsFromProcess(project);
  if (!options.ok()) return options.error();
  RealFileSystem files;
  auto loaded = compose::Load(*options, files);
  if (!loaded.ok()) {
    if (loaded.error().kind == Error::Kind::kNotFound && project.files.empty())
      return Error::Invalid("", "watch needs -p PROJECT, --all, or a compose file here (" +
                                    loaded.error().ToString() + ")");
    return loaded.error();
  }
  return std::vector<std::string>{loaded->name};
}

Status ReadTimes(const WatchFlags& flags, WatchDaemonOptions& options) {
  auto resync = Duration("--resync", flags.resync);
  if (!resync.ok()) return resync.error();
  auto heartbeat = Duration("--heartbeat", flags.heartbeat);
  if (!heartbeat.ok()) return heartbeat.error();
  auto grace = Duration("--grace", flags.grace);
  if (!grace.ok()) return grace.error();
  if (*grace <= *heartbeat)
    return Error::Invalid("--grace " + flags.grace, "must be longer than --heartbeat");
  auto warm_up = Duration("--autoscale-warmup", flags.autoscale_warm_up);
  if (!warm_up.ok()) return warm_up.error();
  options.autoscale_warm_up = *warm_up;
  options.resync = *resync;
  options.monitor.heartbeat = *heartbeat;
  options.monitor.grace = *grace;
  return Status::Ok();
}

Result<WatchDaemonOptions> MakeOptions(const ProjectOptions& project, const HostOptions& hosts,
                                       const WatchFlags& flags) {
  WatchDaemonOptions options;
  auto projects = Projects(project, flags);
  if (!projects.ok()) return projects.error();
  options.projects = std::move(*projects);
  options.all = flags.all;
  if (Status times = ReadTimes(flags, options); !times.ok()) return times.error();
  if (flags.log_format != "logfmt" && flags.log_format != "json")
    return Error::Invalid("--log-format " + flags.log_format, "must be logfmt or json");
  options.json_log = flags.log_format == "json";
  options.metrics_address = flags.metrics == "off" ? "" : flags.metrics;
  options.id = flags.id;
  auto inventory = SelectHostsFromProcess(hosts, "");
  if (!inventory.ok()) return inventory.error();
  auto ssh = MakeSshOptions(hosts, inventory->settings);
  if (!ssh.ok()) return ssh.error();
  options.hosts = inventory->hosts;
  options.cluster = inventory->cluster;
  options.ssh = *ssh;
  return options;
}

int RunWatch(const ProjectOptions& project, const HostOptions& hosts, const WatchFlags& flags) {
  auto options = MakeOptions(project, hosts, flags);
  if (!options.ok()) return Fail(options.error());
  if (flags.detach) {
    auto side = Daemonize(flags.log_file, flags.pid_file);
    if (!side.ok()) return Fail(side.error());
    if (*side == DaemonSide::kOriginal) return 0;
    RestartInterruptReaderAfterFork();  // else SIGTERM would never stop the daemon
  }
  if (Status ran = RunWatchDaemon(*options, InterruptToken()); !ran.ok()) return Fail(ran.error());
  return 0;
}

void AddFlags(CLI::App& command, WatchFlags& flags) {
  command.add_flag("--all", flags.all, "Watch every project that has a desired state");
  command.add_option("--resync", flags.resync, "Full reconcile at least this often (30s)");
  command.add_option("--heartbeat", flags.heartbeat, "Ping each host this often (5s)");
  command.add_option("--grace", flags.grace, "A host silent this long is down (10s)");
  command.add_option("--autoscale-warmup", flags.autoscale_warm_up,
                     "A replica's CPU use counts for autoscaling after it ran this long (30s)");
  command.add_option("--metrics", flags.metrics,
                     "Serve /metrics on ADDRESS:PORT, or off (127.0.0.1:9479)");
  command.add_option("--log-format", flags.log_format, "logfmt or json (logfmt)");
  command.add_flag("--detach", flags.detach, "Run in the background");
  command.add_option("--log-file", flags.log_file, "With --detach: append the log here");
  command.add_option("--pid-file", flags.pid_file, "With --detach: write the pid here");
  command.add_option("--id", flags.id, "A name for this watcher in the lease holder");
}

}  // namespace

void AddWatchCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> hosts, Runner& run) {
  CLI::App* command = app.add_subcommand(
      "watch", "Keep the hosts equal to the desired state: restarts, failover, scaling");
  command->fallthrough();
  auto flags = std::make_shared<WatchFlags>();
  AddFlags(*command, *flags);
  command->callback([project, hosts, flags, &run] {
    run = [=] { return RunWatch(*project, *hosts, *flags); };
  });
}

}  // namespace baton::cli
