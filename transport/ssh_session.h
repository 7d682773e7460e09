#pragma once
// One authenticated SSH connection to a host (libssh 0.10). baton opens no
// shells and runs no remote commands: the session only carries
// direct-streamlocal channels to the host's Docker socket (host_connection.h).
//
// Threads: a session may be used by one thread at a time; HostConnection
// keeps each one on its own worker thread.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "transport/host_config.h"

struct ssh_session_struct;  // libssh's ssh_session points to one of these

namespace baton::transport {

struct SshOptions {
  // Bounds the TCP connect plus key exchange, and then each authentication
  // step, so an unreachable host fails instead of hanging. (Name resolution
  // is the system resolver's and has its own limits.)
  std::chrono::milliseconds connect_timeout{5000};
  // Trust on first use: record unknown host keys in known_hosts instead of
  // refusing them. A changed key is refused regardless.
  bool accept_new_host_keys = false;
  // nullopt: ~/.ssh/config, then /etc/ssh/ssh_config. Set: only this file.
  std::optional<std::filesystem::path> ssh_config_file;
  // How long a connection may go unanswered before it counts as lost: TCP
  // keepalives probe an idle connection, and unacknowledged data times out,
  // so a host that vanishes without a word (power cut, partition) is noticed.
  std::chrono::milliseconds dead_peer_timeout{30000};
};

// Disconnects and frees the session.
struct SshSessionFree {
  void operator()(ssh_session_struct* session) const;
};
using SshSessionPtr = std::unique_ptr<ssh_session_struct, SshSessionFree>;

class SshSession {
 public:
  // Connects to `host` (which must not be local) and authenticates, in
  // blocking mode. ~/.ssh/config (or options.ssh_config_file) supplies
  // HostName, User, Port, IdentityFile and ProxyJump, which libssh runs as
  // `ssh -W`; what the address says explicitly wins over the config.
  //
  // The server's host key is checked against known_hosts (the host's
  // known_hosts_file, else ~/.ssh/known_hosts) and /etc/ssh/ssh_known_hosts.
  // Authentication tries ssh-agent, then host.identity_file, then the config's
  // IdentityFile and the default identities; keys needing a passphrase are
  // only usable through the agent (baton never prompts).
  //
  // Errors, all at "host NAME": kUnreachable when the host cannot be reached
  // or the connection breaks; kNotFound for a host key missing from
  // known_hosts (the message has its SHA256 fingerprint and how to accept
  // it); kConflict for a host key that differs from the recorded one;
  // kInvalid for failed authentication or an unreadable identity file.
  static Result<SshSession> Connect(const HostConfig& host, const SshOptions& options);

  ssh_session_struct* get() const { return session_.get(); }
  const std::string& host_name() const { return host_name_; }
  // "user@host:port" as actually used after ~/.ssh/config, for messages.
  const std::string& endpoint() const { return endpoint_; }

  // The time of one SSH round trip: a keepalive request and the server's
  // reply, the fastest of three after one warm-up exchange. The session must
  // still be in blocking mode. kUnreachable when a reply does not come
  // within the connect timeout or the connection drops.
  Result<std::chrono::microseconds> MeasureRoundTrip();

 private:
  Result<std::chrono::microseconds> KeepaliveRoundTrip();
  SshSession(SshSessionPtr session, std::string host_name, std::string endpoint,
             std::chrono::milliseconds timeout)
      : session_(std::move(session)),
        host_name_(std::move(host_name)),
        endpoint_(std::move(endpoint)),
        timeout_(timeout) {}

  SshSessionPtr session_;
  std::string host_name_;
  std::string endpoint_;
  std::chrono::milliseconds timeout_;
};

}  // namespace baton::transport
