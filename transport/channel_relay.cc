#include "transport/channel_relay.h"

#include <libssh/libssh.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "transport/ssh_checks.h"

namespace baton::transport {
namespace {

constexpr size_t kBufferLimit = 256 * 1024;  // per direction
constexpr size_t kChunk = 64 * 1024;

bool WouldBlock() { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR; }

// libssh reports a refused channel as "Channel opening failure: channel 43
// error (2) open failed"; only the server's reason at the end means anything
// to the user, who also needs to know what commonly causes it.
std::string OpenFailure(const std::string& path, const std::string& ssh_error) {
  size_t reason = ssh_error.find(") ");
  if (ssh_error.rfind("channel opening failure", 0) != 0 || reason == std::string::npos)
    return "open " + path + ": " + ssh_error;
  return "open " + path + ": the host's sshd refused the channel (" + ssh_error.substr(reason + 2) +
         "): is Docker running, is the socket path right, and does sshd allow forwarding "
         "(AllowTcpForwarding, AllowStreamLocalForwarding)?";
}

}  // namespace

void SshChannelFree::operator()(ssh_channel_struct* channel) const {
  // Sends a close if the channel is open; libssh frees it once the server
  // confirms, or with the session.
  ssh_channel_free(channel);
}

ChannelRelay::ChannelRelay(UniqueFd client, ssh_session_struct* session, std::string remote_socket)
    : client_(std::move(client)),
      session_(session),
      remote_socket_(std::move(remote_socket)),
      channel_(ssh_channel_new(session)) {
  if (!channel_) Finish("create channel: " + LastSshError(session_));
}

short ChannelRelay::PollEvents() const {
  if (state_ != State::kOpen) return -1;
  short events = 0;
  if (!client_eof_ && to_channel_.size() < kBufferLimit) events |= POLLIN;
  if (!to_client_.empty()) events |= POLLOUT;
  return events;  // 0 still reports a hang-up, which ends the relay
}

bool ChannelRelay::Pump(short client_revents) {
  bool progress = false;
  if (state_ == State::kOpening) progress = Open();
  if (state_ != State::kOpen) return progress;
  if ((client_revents & POLLERR) != 0) {
    Finish();
    return true;
  }
  progress |= ClientToChannel();
  if (state_ == State::kOpen) progress |= ChannelToClient();
  if (state_ == State::kOpen && Drained(client_revents)) {
    Finish();
    progress = true;
  }
  return progress;
}

bool ChannelRelay::Open() {
  // Non-blocking: SSH_AGAIN until the server answers; calling again is how
  // libssh expects to be asked whether it has.
  int rc = ssh_channel_open_forward_unix(channel_.get(), remote_socket_.c_str(), "127.0.0.1", 0);
  if (rc == SSH_AGAIN) return false;
  if (rc != SSH_OK) {
    Finish(OpenFailure(remote_socket_, LastSshError(session_)));
    return true;
  }
  state_ = State::kOpen;
  opened_ = true;
  return true;
}

bool ChannelRelay::ClientToChannel() {
  bool progress = false;
  if (!client_eof_ && to_channel_.size() < kBufferLimit) {
    char buffer[kChunk];
    size_t room = std::min(kChunk, kBufferLimit - to_channel_.size());
    ssize_t n = ::recv(client_.get(), buffer, room, MSG_DONTWAIT);
    if (n > 0) to_channel_.append(buffer, static_cast<size_t>(n));
    if (n == 0) client_eof_ = true;
    if (n < 0 && !WouldBlock()) client_eof_ = true;  // reset: nothing more will come
    progress = n >= 0 || !WouldBlock();
  }
  while (!to_channel_.empty()) {
    size_t n =
        std::min<size_t>({to_channel_.size(), ssh_channel_window_size(channel_.get()), kChunk});
    if (n == 0) break;  // the server's window is full; its adjust will wake the session
    int written = ssh_channel_write(channel_.get(), to_channel_.data(), static_cast<uint32_t>(n));
    if (written < 0) {
      Finish("write to " + remote_socket_ + ": " + LastSshError(session_));
      return true;
    }
    to_channel_.erase(0, static_cast<size_t>(written));
    progress |= written > 0;
    if (static_cast<size_t>(written) < n) break;
  }
  if (client_eof_ && to_channel_.empty() && !channel_eof_sent_) {
    ssh_channel_send_eof(channel_.get());
    channel_eof_sent_ = true;
    progress = true;
  }
  return progress;
}

bool ChannelRelay::ChannelToClient() {
  bool progress = FlushToClient();
  // Drain libssh's buffer now: no fd will say it holds data once the
  // session's socket has been read.
  while (state_ == State::kOpen && !channel_eof_ && to_client_.size() < kBufferLimit) {
    char buffer[kChunk];
    size_t room = std::min(kChunk, kBufferLimit - to_client_.size());
    int n = ssh_channel_read_nonblocking(channel_.get(), buffer, static_cast<uint32_t>(room), 0);
    if (n == SSH_EOF) channel_eof_ = true;
    if (n == SSH_ERROR) {
      Finish("read from " + remote_socket_ + ": " + LastSshError(session_));
      return true;
    }
    if (n <= 0) break;
    to_client_.append(buffer, static_cast<size_t>(n));
    progress = true;
    progress |= FlushToClient();
  }
  if (state_ == State::kOpen && channel_eof_ && to_client_.empty() && !client_shut_) {
    ::shutdown(client_.get(), SHUT_WR);
    client_shut_ = true;
    progress = true;
  }
  return progress;
}

bool ChannelRelay::FlushToClient() {
  bool progress = false;
  while (!to_client_.empty()) {
    ssize_t n =
        ::send(client_.get(), to_client_.data(), to_client_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && WouldBlock()) break;
    if (n <= 0) {  // the client has gone: nothing more can reach it
      Finish();
      return true;
    }
    to_client_.erase(0, static_cast<size_t>(n));
    progress = true;
  }
  return progress;
}

// True when nothing more can usefully move.
bool ChannelRelay::Drained(short client_revents) const {
  if (client_eof_ && channel_eof_sent_ && channel_eof_ && client_shut_) return true;
  // The server closed the channel and everything it sent has been delivered.
  if (ssh_channel_is_closed(channel_.get()) && to_client_.empty()) return true;
  // The client hung up completely: nothing can be delivered to it any more.
  return client_eof_ && (client_revents & POLLHUP) != 0;
}

void ChannelRelay::Finish(std::string failure) {
  state_ = State::kFinished;
  failure_ = std::move(failure);
  channel_.reset();
  // The client socket stays open until the relay is destroyed, so that the
  // owner can publish why before the client sees end-of-file.
}

}  // namespace baton::transport
