#pragma once
// The loop that serves a remote Docker socket on a local one: it accepts
// local clients, gives each a ChannelRelay, and drives the SSH session, all
// on one thread (libssh sessions are not thread-safe). Internal to
// transport/: HostConnection runs it on its worker thread.

#include <libssh/libssh.h>
#include <poll.h>

#include <atomic>
#include <functional>
#include <list>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "transport/channel_relay.h"
#include "transport/private_socket.h"
#include "transport/ssh_session.h"

namespace baton::transport {

class SocketTunnel {
 public:
  // Receives the tunnel's health as it changes: an Error when a channel
  // cannot be opened, nullopt when one opens again, and an Error with
  // `final` set when the session is lost (nothing follows that). Called on
  // the tunnel's thread.
  using HealthSink = std::function<void(std::optional<Error> error, bool final)>;

  SocketTunnel(SshSession session, PrivateSocket listener, std::string remote_socket, int wake_fd,
               HealthSink health);

  // Serves until `stop` is true when `wake_fd` becomes readable. Switches the
  // session to non-blocking mode. When the session is lost every client sees
  // end-of-file at once, and so does each client that connects afterwards.
  void Run(const std::atomic<bool>& stop);

 private:
  void BuildPollSet();
  void ServiceSession();
  void AcceptClients();
  void PumpRelays();
  void ReapRelays();
  void Lose(const std::string& reason);
  void Shutdown();

  SshSession session_;
  PrivateSocket listener_;
  std::string remote_socket_;
  int wake_fd_;
  HealthSink health_;
  ssh_event_struct* event_ = nullptr;  // owned; freed in Shutdown()
  // Counts the packets libssh processes, whichever call made it read them
  // (see PumpRelays); attached to the session while Run() runs.
  ssh_counter_struct received_{};
  bool lost_ = false;
  // Declared after session_, so relays (and their channels) go first.
  std::list<ChannelRelay> relays_;
  std::vector<pollfd> fds_;  // wake, listener, session, then one per relay
};

}  // namespace baton::transport
