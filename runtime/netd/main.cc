// baton-netd: the network helper baton runs as a container on every host of
// a cluster (see runtime/netd/netd_daemon.h). Statically linked, so its image
// holds nothing else.
//
//   baton-netd run <config-json>      serve until SIGTERM/SIGINT, then clean up
//   baton-netd cleanup <config-json>  remove everything netd added, and exit
//   baton-netd health                 exit 0 once the running netd is ready
//   baton-netd status [--json]        the local replicas' readiness and DNS presence

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <string>

#include "runtime/netd/netd_config.h"
#include "runtime/netd/netd_daemon.h"
#include "runtime/netd/netd_log.h"
#include "runtime/netd/netd_status.h"

namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

void RequestStop(int) { stop_requested = true; }

// As PID 1 of its container, netd gets no default SIGTERM action: without a
// handler `docker stop` would wait its timeout and kill it uncleaned.
void InstallStopHandlers() {
  struct sigaction action {};
  action.sa_handler = RequestStop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

int Usage() {
  baton::netd::LogLine("usage: baton-netd run|cleanup <config-json> | health | status [--json]");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "health") == 0)
    return baton::netd::CheckReady(baton::netd::DaemonOptions{});
  if (argc >= 2 && argc <= 3 && std::strcmp(argv[1], "status") == 0) {
    bool json = argc == 3 && std::strcmp(argv[2], "--json") == 0;
    if (argc == 3 && !json) return Usage();
    return baton::netd::PrintStatus(baton::netd::DaemonOptions{}.status_file, json, stdout, stderr);
  }
  if (argc != 3) return Usage();
  std::string command = argv[1];
  if (command != "run" && command != "cleanup") return Usage();
  auto config = baton::netd::ParseNetdConfig(argv[2]);
  if (!config.ok()) {
    baton::netd::LogLine(config.error().ToString());
    return 2;
  }
  baton::netd::DaemonOptions options;
  if (command == "cleanup") return baton::netd::RunCleanup(*config, options);
  InstallStopHandlers();
  return baton::netd::RunDaemon(*config, options, stop_requested);
}
