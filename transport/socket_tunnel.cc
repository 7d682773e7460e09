#include "transport/socket_tunnel.h"

#include <libssh/libssh.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>

#include "transport/ssh_checks.h"

namespace baton::transport {
namespace {

constexpr size_t kWake = 0, kListener = 1, kSession = 2, kFirstRelay = 3;

bool SessionDown(ssh_session session) {
  return !ssh_is_connected(session) || ssh_get_fd(session) < 0 ||
         (ssh_get_status(session) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0;
}

}  // namespace

SocketTunnel::SocketTunnel(SshSession session, PrivateSocket listener, std::string remote_socket,
                           int wake_fd, HealthSink health)
    : session_(std::move(session)),
      listener_(std::move(listener)),
      remote_socket_(std::move(remote_socket)),
      wake_fd_(wake_fd),
      health_(std::move(health)) {}

void SocketTunnel::Run(const std::atomic<bool>& stop) {
  ssh_set_blocking(session_.get(), 0);
  ssh_set_counters(session_.get(), nullptr, &received_);
  // The event holds only the session, so that ssh_event_dopoll (and libssh's
  // own internal polls) process SSH traffic without touching our sockets.
  event_ = ssh_event_new();
  if (event_ == nullptr || ssh_event_add_session(event_, session_.get()) != SSH_OK)
    Lose("cannot watch the session");
  while (!stop.load()) {
    BuildPollSet();
    if (::poll(fds_.data(), fds_.size(), -1) < 0 && errno != EINTR) break;
    if (fds_[kWake].revents != 0) {
      uint64_t count;
      (void)!::read(wake_fd_, &count, sizeof count);
    }
    if (stop.load()) break;
    if (fds_[kSession].revents != 0) ServiceSession();
    if (fds_[kListener].revents != 0) AcceptClients();
    PumpRelays();
    ReapRelays();
  }
  Shutdown();
}

void SocketTunnel::BuildPollSet() {
  fds_.clear();
  fds_.push_back({wake_fd_, POLLIN, 0});
  fds_.push_back({listener_.fd(), POLLIN, 0});
  int session_fd = lost_ ? -1 : ssh_get_fd(session_.get());
  short session_events = POLLIN;
  // libssh asks for POLLOUT while it holds unsent bytes; only a writable
  // socket seen by its own poll handler makes it send them.
  if (!lost_ && (ssh_get_poll_flags(session_.get()) & SSH_WRITE_PENDING) != 0)
    session_events |= POLLOUT;
  fds_.push_back({session_fd, session_events, 0});
  for (const ChannelRelay& relay : relays_) {
    short events = relay.PollEvents();
    if (events < 0)
      fds_.push_back({-1, 0, 0});
    else
      fds_.push_back({relay.client_fd(), events, 0});
  }
}

void SocketTunnel::ServiceSession() {
  if (lost_) return;
  if (ssh_event_dopoll(event_, 0) == SSH_ERROR || SessionDown(session_.get()))
    Lose(LastSshError(session_.get()));
}

void SocketTunnel::AcceptClients() {
  for (;;) {
    UniqueFd client(::accept4(listener_.fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!client) return;  // EAGAIN: none left; other errors: try again on the next wake-up
    // After a loss the client is closed at once: it sees end-of-file.
    if (lost_) continue;
    relays_.emplace_back(std::move(client), session_.get(), remote_socket_);
  }
}

void SocketTunnel::PumpRelays() {
  // Several rounds: any libssh call on one channel (a read that finds
  // nothing, a write, a close) may process packets meant for another relay
  // already pumped in this round: its data, its open confirmation, a window
  // adjust. Those then wait in libssh with no socket to say so, and its
  // client waits for the whole call timeout. So a round is the last only if
  // libssh took in no packet at all while it ran, whether or not any relay
  // moved a byte.
  for (bool progress = true; progress && !lost_;) {
    uint64_t packets_before = received_.in_packets;
    progress = false;
    size_t index = kFirstRelay;
    for (ChannelRelay& relay : relays_) {
      short revents = 0;  // relays accepted after the poll have no entry yet
      if (index < fds_.size()) std::swap(revents, fds_[index].revents);
      ++index;
      progress |= relay.Pump(revents);
    }
    progress |= received_.in_packets != packets_before;
    if (SessionDown(session_.get())) Lose(LastSshError(session_.get()));
  }
}

void SocketTunnel::ReapRelays() {
  for (auto it = relays_.begin(); it != relays_.end();) {
    if (!it->finished()) {
      ++it;
      continue;
    }
    if (!lost_ && !it->failure().empty())
      health_(Error::Unreachable("host " + session_.host_name(), it->failure()), false);
    else if (!lost_ && it->opened())
      health_(std::nullopt, false);
    it = relays_.erase(it);
  }
}

void SocketTunnel::Lose(const std::string& reason) {
  if (lost_) return;
  lost_ = true;
  for (ChannelRelay& relay : relays_) relay.Finish();
  health_(Error::Unreachable("host " + session_.host_name(), "ssh connection lost: " + reason),
          true);
}

void SocketTunnel::Shutdown() {
  relays_.clear();  // closes the channels while the session still exists
  if (!lost_) ssh_blocking_flush(session_.get(), 100);  // let the closes go out
  if (event_ != nullptr) {
    ssh_event_remove_session(event_, session_.get());
    ssh_event_free(event_);
    event_ = nullptr;
  }
  ssh_set_counters(session_.get(), nullptr, nullptr);  // received_ dies before the session
}

}  // namespace baton::transport
