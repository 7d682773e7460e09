#pragma once
// The watcher's view of its hosts: every host pinged every heartbeat, its
// health judged by host_health_rules.h, and its link (SSH connection and
// Docker client) reopened in the background when it is lost or the host is
// Down. HostConnection loss is final, so this is the only way a long-running
// process gets a host back.
//
// Links are shared: Snapshot() hands out the current handles, and a swap
// only replaces the monitor's own pointers, so a tick or an event follower
// that still holds the old link keeps a valid (if dead) client.
//
// Threads: one thread per host does that host's pings and reconnects. Every
// public method may be called from any thread. on_change runs on a host's
// thread, without the monitor's lock held; it must return quickly (wake a
// loop, do not tick inside it).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/host_health_rules.h"
#include "runtime/host_pool.h"
#include "transport/host_config.h"
#include "transport/ssh_session.h"

namespace baton::runtime {

class DockerClient;

// What the watcher logs and `ps` shows about a host.
struct HostView {
  std::string name;
  HostHealth health = HostHealth::kUp;
  MonitorClock::time_point since;                    // entered `health` (monotonic)
  std::chrono::system_clock::time_point since_wall;  // the same moment, for display
  std::optional<Error> error;  // the latest failure ("host lab3: ..."); cleared by a success
  bool linked = false;         // a Docker client is open (Snapshot has it)
};

// Opens a host's link; a failed open returns the handle with only config and
// error set. The default is ConnectHost (host_pool.h) with the SSH options and
// options.docker_call_timeout; tests pass their own.
using HostConnector = std::function<HostHandle(const transport::HostConfig&)>;

class HostMonitor {
 public:
  // Opens every host in parallel (as HostPool::Open), then starts the ping
  // threads. Never fails: unreachable hosts start unlinked and are retried.
  // Calls on_change whenever some host's health or link changes.
  static std::unique_ptr<HostMonitor> Start(std::vector<transport::HostConfig> hosts,
                                            transport::SshOptions ssh, MonitorOptions options,
                                            std::function<void()> on_change);
  // The same with a custom connector (tests, or a process with links open).
  static std::unique_ptr<HostMonitor> Start(std::vector<transport::HostConfig> hosts,
                                            HostConnector connect, MonitorOptions options,
                                            std::function<void()> on_change);

  HostMonitor(const HostMonitor&) = delete;
  HostMonitor& operator=(const HostMonitor&) = delete;
  // Stops and joins the host threads (a ping or reconnect in flight ends
  // within its own timeout).
  ~HostMonitor();

  // Every host in the order given to Start, sharing the current links. A
  // host without a link (not yet connected, lost, or Down: the monitor drops
  // a Down host's link and reconnects) has null connection and docker and
  // its error, so callers see it as unreachable.
  HostPool Snapshot() const;
  // Every host's health, in the order given to Start.
  std::vector<HostView> Views() const;
  // The current client of `host`; null when unlinked or unknown.
  std::shared_ptr<DockerClient> Docker(const std::string& host) const;

 private:
  struct Impl;
  explicit HostMonitor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace baton::runtime
