#pragma once
// A host's Docker socket, reachable on this machine. For an SSH host this is
// one SSH connection, owned by one worker thread, that serves the host's
// Docker socket on a private local unix socket: every local client
// connection becomes a direct-streamlocal channel to the remote socket, with
// bytes relayed both ways (no remote commands, no shells). Docker API
// clients simply point at socket_path(). For the local engine it is just
// the engine's socket path, with no thread.
//
// Threads: the public methods may be called from any thread. All libssh
// calls happen on the worker.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "transport/host_config.h"
#include "transport/ssh_session.h"
#include "base/unique_fd.h"

namespace baton::transport {

class HostConnection {
 public:
  // Connects to `host` and starts serving its Docker socket. Blocks until
  // the SSH session is up and one keepalive round trip has been timed, or
  // until that fails (see SshSession::Connect for the errors, all at
  // "host NAME"). A local host always succeeds at once: reachability of its
  // socket is the Docker client's to find out.
  static Result<std::unique_ptr<HostConnection>> Open(const HostConfig& host,
                                                      const SshOptions& options);

  // Opens every host in parallel; result i belongs to hosts[i].
  static std::vector<Result<std::unique_ptr<HostConnection>>> OpenAll(
      const std::vector<HostConfig>& hosts, const SshOptions& options);

  HostConnection(const HostConnection&) = delete;
  HostConnection& operator=(const HostConnection&) = delete;
  // Stops the worker (closing every relay and the session), waits for it,
  // and removes the local socket.
  ~HostConnection();

  const std::string& host_name() const { return host_name_; }
  // A unix socket speaking the host's Docker API.
  const std::filesystem::path& socket_path() const { return socket_path_; }
  // One SSH round trip, timed when the connection was opened; nullopt for
  // the local engine.
  std::optional<std::chrono::microseconds> ssh_round_trip() const { return round_trip_; }

  // Ok while the session is up and the latest channel to the Docker socket
  // opened. Otherwise kUnreachable at "host NAME": "ssh connection lost: ..."
  // (final: relays then end at once and new ones are refused with
  // end-of-file) or "open /var/run/docker.sock: ..." (cleared when a later
  // channel opens). A Docker client that saw a connection drop can ask this
  // why.
  Status Health() const;

 private:
  explicit HostConnection(std::string host_name) : host_name_(std::move(host_name)) {}
  void SetHealth(std::optional<Error> error, bool final);

  const std::string host_name_;
  std::filesystem::path socket_path_;
  std::optional<std::chrono::microseconds> round_trip_;
  UniqueFd wake_;  // eventfd: tells the worker to look at stop_
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::optional<Error> failure_;  // guarded by mutex_
  bool lost_ = false;             // guarded by mutex_
  std::jthread worker_;           // declared last, so it is joined first
};

}  // namespace baton::transport
