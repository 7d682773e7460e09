#pragma once
// The peer sync of announcement.h: a server that pushes this host's
// Announcement to every connected peer, and one client per other host that
// reads the peer's. Each runs in its own thread; any thread may Publish and
// read Peers.
//
// Bounds: a line longer than kMaxLineBytes, a line that is not an
// Announcement, or one that names another host than the peer it came from
// drops the connection (the client reconnects a second later). The server
// takes connections only from the addresses in config.hosts.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "runtime/netd/announcement.h"
#include "runtime/netd/netd_config.h"

namespace baton::netd {

inline constexpr size_t kMaxLineBytes = 1 << 20;
inline constexpr auto kPeerSilence = std::chrono::seconds(3);  // then a peer is forgotten

class PeerSync {
 public:
  // `log` gets one line per connection event; called from the sync threads.
  using Log = std::function<void(const std::string&)>;

  // Binds the server on <config.Self()->address>:<config.sync_port>.
  // kUnreachable when it cannot (address not on this host, port taken);
  // kInvalid when config has no Self().
  static Result<std::unique_ptr<PeerSync>> Start(const NetdConfig& config, Log log);
  ~PeerSync();  // stops and joins every thread (within ~100 ms)

  // Sets what the server sends; sent at once when it differs from the last.
  void Publish(const Announcement& own);
  // The latest announcement of every peer heard from within kPeerSilence,
  // sorted by host name.
  std::vector<Announcement> Peers() const;
  // Bumped whenever a peer's announcement changes or a peer is forgotten on
  // close, so the daemon can run a round at once instead of within a second.
  uint64_t Version() const;
  // True once every other host has been heard from, or has failed two
  // connection attempts (no netd there, or the host is down): what netd
  // needs before it calls itself ready.
  bool Settled() const;

 public:
  struct Shared;  // state the sync threads share; defined in the .cc

 private:
  PeerSync(std::shared_ptr<Shared> shared, UniqueFd listener);
  void Serve(std::stop_token stop);
  void Follow(const Peer& peer, std::stop_token stop);

  std::shared_ptr<Shared> shared_;
  UniqueFd listener_;
  std::vector<std::jthread> threads_;  // declared last, so joined first
};

}  // namespace baton::netd
