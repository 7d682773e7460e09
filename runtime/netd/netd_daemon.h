#pragma once
// The netd daemon: the level-triggered loop that keeps a host's cluster
// networking converged. Each round (on an engine event, and at least every
// second) it re-reads the engine, takes the peers' latest announcements,
// applies the dataplane, refreshes the DNS service and publishes this host's
// announcement. Failures are logged (once per distinct message) and retried
// next round; nothing short of a stop request ends the loop.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/netd/announcement.h"
#include "runtime/netd/dataplane.h"
#include "runtime/netd/netd_config.h"

namespace baton::netd {

struct DaemonOptions {
  std::string docker_socket = "/var/run/docker.sock";
  std::string host_root = "/host";  // the host's root; commands run chrooted into it
  uint16_t dns_port = 53;
  // Created once netd is ready: dataplane started, peer sync listening and
  // settled, DNS served. `baton-netd health` checks it, and `up` waits for
  // it before it starts the host's containers, so a fresh netd answers
  // their first lookups.
  std::string ready_file = "/netd-ready";
  // This host's replicas' readiness and DNS presence (netd_status.h), for
  // `baton-netd status`, rewritten after each round that changed it.
  std::string status_file = "/netd-status.json";
};

// The exit code of `baton-netd health`: 0 when `options.ready_file` exists.
int CheckReady(const DaemonOptions& options);

// The peers the dataplane routes to: every announcement from a host of
// `config` other than this one, with that host's configured address.
std::vector<RemoteHost> RemoteHostsOf(const NetdConfig& config,
                                      const std::vector<Announcement>& peers);

// Runs until `stop` becomes true (the SIGTERM handler sets it), then removes
// everything the dataplane added. Returns the process exit code: 0 after a
// clean stop, 1 when the cleanup failed.
int RunDaemon(const NetdConfig& config, const DaemonOptions& options,
              const std::atomic<bool>& stop);
// Removes everything netd adds on this host; the exit code as above.
int RunCleanup(const NetdConfig& config, const DaemonOptions& options);

}  // namespace baton::netd
