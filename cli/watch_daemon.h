#pragma once
// The running `baton watch` (issue 6, design 3.1 and 5): the host monitor,
// one lease, one Watcher thread and one WatchIo per project, an event
// follower per host that wakes the watchers, the metrics server and the log
// (logfmt or JSON lines on stderr, also published to the lease record for
// `baton events`).

#include <chrono>
#include <stop_token>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/host_health_rules.h"
#include "transport/host_config.h"
#include "transport/ssh_session.h"

namespace baton::cli {

struct WatchDaemonOptions {
  std::vector<std::string> projects;  // empty with `all`
  bool all = false;                   // every project with a record, at start
  std::vector<transport::HostConfig> hosts;
  // The hosts file's `cluster:` settings: spanned networks' address space and
  // netd's config, which must be `up`'s so that netd is not recreated.
  transport::ClusterSettings cluster;
  transport::SshOptions ssh;
  runtime::MonitorOptions monitor;
  std::chrono::milliseconds resync{30000};
  std::chrono::milliseconds autoscale_warm_up{30000};  // --autoscale-warmup
  std::string metrics_address = "127.0.0.1:9479";  // "" = no metrics server
  bool json_log = false;
  std::string id;  // --id: told apart in the lease holder ("a alice@h1 pid 42")
};

// Plans deploy netd as `up` does, from the baton-netd binary beside baton
// ($BATON_NETD overrides); without it (a warning in the log at start),
// plans deploy no netd.
//
// Runs until `stop` is requested (SIGTERM, SIGINT) or, watching one project,
// until its record is a tombstone; then releases the leases. Errors: the
// metrics address (kInvalid, kUnreachable when taken), --all finding no
// project to watch (kNotFound).
Status RunWatchDaemon(const WatchDaemonOptions& options, std::stop_token stop);

}  // namespace baton::cli
