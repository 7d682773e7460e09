#pragma once
// The hosts a command works on, connected: one SSH connection (or the local
// socket) and one DockerClient per host, opened in parallel. A host that
// cannot be reached stays in the pool with its error, so commands can show
// it as unreachable instead of silently leaving it out.
//
// Threads: the pool is built once; afterwards each HostHandle may be used
// from any thread (DockerClient is thread-safe).
//
// Links are shared (shared_ptr): a HostHandle copy keeps its connection and
// client alive, so the watcher's HostMonitor can swap a host's link while a
// tick or an event follower still uses the old one.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/docker_client.h"
#include "transport/host_config.h"
#include "transport/host_connection.h"
#include "transport/ssh_session.h"

namespace baton::runtime {

// How many of `hosts` hosts make a majority: what the desired-state record,
// the deploy lock reads and the watcher's lease each need.
inline size_t HostMajority(size_t hosts) { return hosts / 2 + 1; }

struct HostHandle {
  transport::HostConfig config;
  // Declared before `docker`, so a handle drops the client before the tunnel
  // it talks through.
  std::shared_ptr<transport::HostConnection> connection;  // null when unreachable
  std::shared_ptr<DockerClient> docker;                   // null when unreachable
  std::optional<Error> error;  // why it is unreachable ("host NAME: ...")
  bool reachable() const { return docker != nullptr; }
};

// Opens one host's link: SSH (or the local socket), then a DockerClient with
// `docker_call_timeout`. On failure the handle has only config and error
// ("host NAME: ..."), and holds no session.
HostHandle ConnectHost(const transport::HostConfig& host, const transport::SshOptions& ssh,
                       std::chrono::milliseconds docker_call_timeout);

class HostPool {
 public:
  // Connects to every host in parallel (SSH, then the Docker API version
  // check); never fails as a whole: each host carries its own error.
  static HostPool Open(const std::vector<transport::HostConfig>& hosts,
                       const transport::SshOptions& ssh,
                       std::chrono::milliseconds docker_call_timeout = std::chrono::seconds(30));
  // A pool of handles opened elsewhere (HostMonitor::Snapshot), kept in order.
  static HostPool FromHandles(std::vector<HostHandle> handles);

  std::vector<HostHandle>& hosts() { return hosts_; }
  const std::vector<HostHandle>& hosts() const { return hosts_; }
  // nullptr when no host has that name.
  HostHandle* Find(const std::string& name);
  // The reachable host named `name`'s client; kUnreachable with the host's
  // error, or kNotFound, otherwise.
  Result<DockerClient*> Docker(const std::string& name);

 private:
  std::vector<HostHandle> hosts_;
};

}  // namespace baton::runtime
