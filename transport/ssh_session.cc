#include "transport/ssh_session.h"

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>  // declares ssh_send_keepalive, which clients may send too
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>

#include "transport/duration.h"
#include "transport/ssh_checks.h"

namespace baton::transport {
namespace {

ssh_callbacks NoPromptCallbacks() {
  static ssh_callbacks_struct callbacks = [] {
    ssh_callbacks_struct c{};
    c.auth_function = RefusePassphrase;
    ssh_callbacks_init(&c);
    return c;
  }();
  return &callbacks;
}

std::filesystem::path ExpandHome(const std::filesystem::path& path) {
  std::string text = path.string();
  const char* home = std::getenv("HOME");
  if (home != nullptr && (text == "~" || text.rfind("~/", 0) == 0)) return home + text.substr(1);
  return path;
}

// "host:port" as it will be dialled, after ~/.ssh/config's HostName and Port.
std::string DialledHostPort(ssh_session session) {
  unsigned int port = 22;
  ssh_options_get_port(session, &port);
  std::string host = SshStringOption(session, SSH_OPTIONS_HOST);
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return host + ":" + std::to_string(port);
}

Status Configure(ssh_session s, const HostConfig& host, const SshOptions& options,
                 const std::string& where) {
  int verbosity = SSH_LOG_NOLOG;
  ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
  ssh_set_callbacks(s, NoPromptCallbacks());
  ssh_options_set(s, SSH_OPTIONS_HOST, host.ssh.host.c_str());
  // An explicit user set before the config is read is kept by libssh; port
  // and known_hosts are set after it so that they win as well.
  if (!host.ssh.user.empty()) ssh_options_set(s, SSH_OPTIONS_USER, host.ssh.user.c_str());
  const char* config = options.ssh_config_file ? options.ssh_config_file->c_str() : nullptr;
  if (ssh_options_parse_config(s, config) != 0)
    return Error::Invalid(where, "read ssh config: " + LastSshError(s));
  if (host.ssh.port != 0) {
    unsigned int port = static_cast<unsigned int>(host.ssh.port);
    ssh_options_set(s, SSH_OPTIONS_PORT, &port);
  }
  if (!host.known_hosts_file.empty())
    ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, ExpandHome(host.known_hosts_file).c_str());
  // Docker API calls are small request/response exchanges: without this,
  // Nagle's algorithm and delayed ACKs add tens of milliseconds to each.
  int nodelay = 1;
  ssh_options_set(s, SSH_OPTIONS_NODELAY, &nodelay);
  long seconds = options.connect_timeout.count() / 1000;
  long micros = (options.connect_timeout.count() % 1000) * 1000;
  ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &seconds);
  ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &micros);
  return Status::Ok();
}

// The kernel notices a silent peer: keepalive probes after t/2 idle, three
// more t/6 apart, and a limit of t on unacknowledged data. Not a socket
// (a ProxyCommand's pipe): nothing to set, and the proxy watches instead.
void SetDeadPeerTimeout(int fd, std::chrono::milliseconds timeout) {
  int on = 1;
  int idle = std::max<int>(1, static_cast<int>(timeout.count() / 2000));
  int interval = std::max<int>(1, static_cast<int>(timeout.count() / 6000));
  int count = 3;
  unsigned int user_timeout = static_cast<unsigned int>(timeout.count());
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
  ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout, sizeof user_timeout);
}

// libssh says "Failed to connect: Connection refused" or "Timeout connecting
// to HOST"; baton says what was dialled and how long it waited.
Error ConnectError(ssh_session s, const std::string& where, const std::string& endpoint,
                   std::chrono::milliseconds timeout) {
  std::string reason = ssh_get_error(s);
  const std::string failed = "Failed to connect: ";
  if (reason.rfind("Timeout connecting", 0) == 0)
    reason = "timed out after " + FormatDuration(timeout);
  else if (reason.rfind(failed, 0) == 0)
    reason = reason.substr(failed.size());
  if (!reason.empty() && reason[0] >= 'A' && reason[0] <= 'Z') reason[0] += 'a' - 'A';
  return Error::Unreachable(where, "connect to " + endpoint + ": " + reason);
}

}  // namespace

void SshSessionFree::operator()(ssh_session_struct* session) const {
  if (ssh_is_connected(session)) ssh_disconnect(session);
  ssh_free(session);
}

Result<SshSession> SshSession::Connect(const HostConfig& host, const SshOptions& options) {
  std::string where = "host " + host.name;
  if (host.is_local()) return Error::Internal(where, "a local engine needs no ssh session");
  SshSessionPtr session(ssh_new());
  if (!session) return Error::Internal(where, "cannot create an ssh session");
  ssh_session s = session.get();
  if (auto st = Configure(s, host, options, where); !st.ok()) return st.error();
  std::string dialled = DialledHostPort(s);
  if (ssh_connect(s) != SSH_OK) return ConnectError(s, where, dialled, options.connect_timeout);
  SetDeadPeerTimeout(ssh_get_fd(s), options.dead_peer_timeout);
  if (auto st = VerifyHostKey(s, where, dialled, options.accept_new_host_keys); !st.ok())
    return st.error();
  std::string endpoint = SshStringOption(s, SSH_OPTIONS_USER) + "@" + dialled;
  if (auto st = Authenticate(s, where, endpoint, ExpandHome(host.identity_file)); !st.ok())
    return st.error();
  return SshSession(std::move(session), host.name, endpoint, options.connect_timeout);
}

Result<std::chrono::microseconds> SshSession::KeepaliveRoundTrip() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  // Blocks until OpenSSH answers (it refuses the request, which is enough)
  // or the session timeout passes; libssh reports neither, so time tells.
  ssh_send_keepalive(session_.get());
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  if (!ssh_is_connected(session_.get()) ||
      (ssh_get_status(session_.get()) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0) {
    return Error::Unreachable("host " + host_name_,
                              "connection lost: " + LastSshError(session_.get()));
  }
  if (elapsed >= timeout_) {
    return Error::Unreachable("host " + host_name_,
                              "no reply to a keepalive within " + FormatDuration(timeout_));
  }
  return elapsed;
}

Result<std::chrono::microseconds> SshSession::MeasureRoundTrip() {
  // The first exchange after authentication often waits for a delayed ACK
  // (40 ms on Linux) before the server's reply leaves, so it only warms up.
  std::chrono::microseconds best = std::chrono::microseconds::max();
  for (int i = 0; i < 4; ++i) {
    auto one = KeepaliveRoundTrip();
    if (!one.ok()) return one.error();
    if (i > 0) best = std::min(best, *one);
  }
  return best;
}

}  // namespace baton::transport
