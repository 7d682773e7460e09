#pragma once
// One local client connection relayed over one SSH direct-streamlocal channel
// to a unix socket on the remote host. Internal to transport/: SocketTunnel
// owns the relays and calls every method on its thread (the session's owner).
//
// Bytes are buffered up to a fixed amount in each direction; beyond that the
// relay stops reading, so a slow reader holds back the writer (SSH window
// on one side, the socket buffer on the other) instead of growing memory.

#include <memory>
#include <string>

#include "base/unique_fd.h"

struct ssh_session_struct;
struct ssh_channel_struct;

namespace baton::transport {

struct SshChannelFree {
  void operator()(ssh_channel_struct* channel) const;
};
using SshChannelPtr = std::unique_ptr<ssh_channel_struct, SshChannelFree>;

class ChannelRelay {
 public:
  // Starts opening a channel to `remote_socket` through the non-blocking
  // `session`, which must outlive the relay.
  ChannelRelay(UniqueFd client, ssh_session_struct* session, std::string remote_socket);

  int client_fd() const { return client_.get(); }
  // The poll events to wait for on client_fd(); -1 means "do not watch the
  // client at all" (while the channel opens, its bytes wait in the kernel).
  short PollEvents() const;
  // Moves every byte that can move without blocking, in both directions, and
  // handles end-of-stream. `client_revents` are the client's last poll
  // results (0 if none). Returns true if anything changed.
  bool Pump(short client_revents);

  bool finished() const { return state_ == State::kFinished; }
  bool opened() const { return opened_; }
  // Why the channel could not be opened, or the relay failed; "" otherwise.
  const std::string& failure() const { return failure_; }
  // Ends the relay now: the channel is closed at once; the client sees
  // end-of-file when the relay is destroyed.
  void Finish(std::string failure = "");

 private:
  enum class State { kOpening, kOpen, kFinished };
  bool Open();
  bool ClientToChannel();
  bool ChannelToClient();
  bool FlushToClient();
  bool Drained(short client_revents) const;

  UniqueFd client_;
  ssh_session_struct* session_;
  std::string remote_socket_;
  SshChannelPtr channel_;
  State state_ = State::kOpening;
  bool opened_ = false;
  std::string to_channel_;         // read from the client, not yet sent
  std::string to_client_;          // read from the channel, not yet sent
  bool client_eof_ = false;        // the client will send nothing more
  bool channel_eof_sent_ = false;  // and the remote end has been told
  bool channel_eof_ = false;       // the remote end will send nothing more
  bool client_shut_ = false;       // and the client has been told
  std::string failure_;
};

}  // namespace baton::transport
