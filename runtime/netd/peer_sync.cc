#include "runtime/netd/peer_sync.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <set>

#include "runtime/netd/dns_socket.h"
#include "runtime/netd/ipv4.h"

namespace baton::netd {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPushEvery = std::chrono::seconds(1);
constexpr auto kReconnectEvery = std::chrono::seconds(1);
constexpr size_t kMaxPendingBytes = 4 * kMaxLineBytes;  // a peer that reads slower is dropped
constexpr char kClosedByPeer[] = "closed by the peer";

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

void SleepFor(std::stop_token& stop, Clock::duration how_long) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait_for(lock, stop, how_long, [] { return false; });
}

// A non-blocking TCP connection to `to` from `from` (so the peer sees this
// host's configured address), within one second.
Result<UniqueFd> ConnectFrom(uint32_t from, uint32_t to, uint16_t port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return Error::Internal("", Errno("socket"));
  sockaddr_in local = SocketAddress(from, 0);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    return Error::Unreachable("", Errno("bind"));
  }
  sockaddr_in remote = SocketAddress(to, port);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0 &&
      errno != EINPROGRESS) {
    return Error::Unreachable("", Errno("connect"));
  }
  pollfd p{fd.get(), POLLOUT, 0};
  if (poll(&p, 1, 1000) != 1) return Error::Unreachable("", "connect: timed out");
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return Error::Unreachable("", std::string("connect: ") + std::strerror(err));
  return fd;
}

// One accepted peer connection on the server side.
struct Subscriber {
  UniqueFd fd;
  std::string address;
  uint64_t sent_version = 0;
  Clock::time_point sent_at;
  std::string pending;  // bytes of queued lines not yet taken by the socket
};

// Sends what the socket takes now. False when the connection is broken.
bool Flush(Subscriber& sub) {
  while (!sub.pending.empty()) {
    ssize_t n = send(sub.fd.get(), sub.pending.data(), sub.pending.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    if (n <= 0) return false;
    sub.pending.erase(0, static_cast<size_t>(n));
  }
  return true;
}

// Peers send nothing: read and discard, noticing a closed connection.
bool DrainIncoming(Subscriber& sub) {
  char buf[4096];
  ssize_t n = recv(sub.fd.get(), buf, sizeof buf, 0);
  return n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR));
}

}  // namespace

struct PeerSync::Shared {
  struct Heard {
    Announcement announcement;
    std::string line;  // as received, to tell a change from a repeat
    Clock::time_point at;
  };

  NetdConfig config;
  Log log;
  mutable std::mutex mu;
  std::string own_line;                        // guarded by mu
  uint64_t own_version = 0;                    // guarded by mu; bumped when own_line changes
  std::map<std::string, Heard> heard;          // guarded by mu; by peer name
  uint64_t heard_version = 0;                  // guarded by mu; bumped when `heard` changes
  std::map<std::string, int> failed_attempts;  // guarded by mu; by peer name
  std::set<std::string> ever_heard;            // guarded by mu
};

Result<std::unique_ptr<PeerSync>> PeerSync::Start(const NetdConfig& config, Log log) {
  const Peer* self = config.Self();
  if (self == nullptr) return Error::Invalid("peer sync", "this host is not among the hosts");
  auto address = ParseIpv4(self->address);
  if (!address) return Error::Invalid("peer sync", "bad own address " + self->address);
  UniqueFd listener(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  int one = 1;
  setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr = SocketAddress(*address, config.sync_port);
  std::string where = "listen " + self->address + ":" + std::to_string(config.sync_port);
  if (!listener || bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener.get(), 16) != 0) {
    return Error::Unreachable("peer sync", Errno(where));
  }
  auto shared = std::make_shared<Shared>();
  shared->config = config;
  shared->log = std::move(log);
  std::unique_ptr<PeerSync> sync(new PeerSync(std::move(shared), std::move(listener)));
  sync->threads_.emplace_back([s = sync.get()](std::stop_token stop) { s->Serve(stop); });
  for (const Peer& peer : config.hosts) {
    if (peer.name == config.host) continue;
    sync->threads_.emplace_back(
        [s = sync.get(), peer](std::stop_token stop) { s->Follow(peer, stop); });
  }
  return sync;
}

PeerSync::PeerSync(std::shared_ptr<Shared> shared, UniqueFd listener)
    : shared_(std::move(shared)), listener_(std::move(listener)) {}

PeerSync::~PeerSync() {
  for (auto& thread : threads_) thread.request_stop();
  threads_.clear();  // joins
}

void PeerSync::Publish(const Announcement& own) {
  std::string line = ToJsonLine(own);
  std::lock_guard lock(shared_->mu);
  if (line == shared_->own_line) return;
  shared_->own_line = std::move(line);
  ++shared_->own_version;
}

std::vector<Announcement> PeerSync::Peers() const {
  std::lock_guard lock(shared_->mu);
  std::vector<Announcement> peers;
  Clock::time_point now = Clock::now();
  for (const auto& [name, heard] : shared_->heard) {
    if (now - heard.at < kPeerSilence) peers.push_back(heard.announcement);
  }
  return peers;
}

uint64_t PeerSync::Version() const {
  std::lock_guard lock(shared_->mu);
  return shared_->heard_version;
}

bool PeerSync::Settled() const {
  std::lock_guard lock(shared_->mu);
  for (const Peer& peer : shared_->config.hosts) {
    if (peer.name == shared_->config.host || shared_->ever_heard.count(peer.name)) continue;
    auto failed = shared_->failed_attempts.find(peer.name);
    if (failed == shared_->failed_attempts.end() || failed->second < 2) return false;
  }
  return true;
}

namespace {

// Reads announcements from a connected peer into `shared` until the
// connection fails, turns to garbage or falls silent. Ok only when stopped.
Status ReadAnnouncements(PeerSync::Shared& shared, const Peer& peer, int fd,
                         std::stop_token& stop) {
  std::string buffer;
  Clock::time_point last = Clock::now();
  while (!stop.stop_requested()) {
    if (Clock::now() - last >= kPeerSilence) return Error::Unreachable("", "silent for 3 s");
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char chunk[16384];
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) return Error::Unreachable("", Errno("receive"));
    if (n == 0) return Error::Unreachable("", kClosedByPeer);
    buffer.append(chunk, static_cast<size_t>(n));
    size_t at = 0;
    for (size_t eol; (eol = buffer.find('\n', at)) != std::string::npos; at = eol + 1) {
      if (eol - at > kMaxLineBytes) return Error::Invalid("", "line over 1 MiB");
      auto announcement = ParseAnnouncement(buffer.substr(at, eol - at));
      if (!announcement.ok()) return announcement.error();
      if (announcement->host != peer.name) {
        return Error::Invalid("", "announces host \"" + announcement->host + "\"");
      }
      std::string line = buffer.substr(at, eol - at);
      std::lock_guard lock(shared.mu);
      PeerSync::Shared::Heard& heard = shared.heard[peer.name];
      if (heard.line != line) ++shared.heard_version;
      heard = {std::move(*announcement), std::move(line), Clock::now()};
      shared.ever_heard.insert(peer.name);
      last = Clock::now();
    }
    buffer.erase(0, at);
    if (buffer.size() > kMaxLineBytes) return Error::Invalid("", "line over 1 MiB");
  }
  return Status::Ok();
}

}  // namespace

void PeerSync::Follow(const Peer& peer, std::stop_token stop) {
  uint32_t from = ParseIpv4(shared_->config.Self()->address).value_or(0);
  uint32_t to = ParseIpv4(peer.address).value_or(0);
  std::string last_logged;  // so a peer that stays down is logged once
  auto log_once = [&](const std::string& line) {
    if (line != last_logged) shared_->log("peer " + peer.name + ": " + line);
    last_logged = line;
  };
  while (!stop.stop_requested()) {
    auto fd = ConnectFrom(from, to, shared_->config.sync_port);
    if (fd.ok()) {
      log_once("connected");
      Status ended = ReadAnnouncements(*shared_, peer, fd->get(), stop);
      if (!ended.ok()) log_once("disconnected: " + ended.error().ToString());
      // An orderly close is the peer's netd ending (its host or dockerd
      // going down, or netd being replaced): its replicas leave DNS now
      // rather than after kPeerSilence; a replaced netd reannounces within
      // a second. Other failures wait out the silence, so a transient reset
      // does not make a host's replicas flap.
      if (!ended.ok() && ended.error().message == kClosedByPeer) {
        std::lock_guard lock(shared_->mu);
        if (shared_->heard.erase(peer.name) > 0) ++shared_->heard_version;
      }
    } else {
      log_once("unreachable: " + fd.error().ToString());
      std::lock_guard lock(shared_->mu);
      ++shared_->failed_attempts[peer.name];
    }
    SleepFor(stop, kReconnectEvery);
  }
}

namespace {

// Takes the waiting connections from known hosts; closes the others.
void AcceptSubscribers(int listener, PeerSync::Shared& shared,
                       std::vector<Subscriber>& subscribers) {
  for (int i = 0; i < 16; ++i) {
    sockaddr_in from{};
    socklen_t len = sizeof from;
    UniqueFd fd(
        accept4(listener, reinterpret_cast<sockaddr*>(&from), &len, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd) return;
    std::string address = FormatIpv4(ntohl(from.sin_addr.s_addr));
    const auto& hosts = shared.config.hosts;
    bool known = std::any_of(hosts.begin(), hosts.end(),
                             [&](const Peer& p) { return p.address == address; });
    if (!known) {
      shared.log("peer sync: refused a connection from " + address);
      continue;
    }
    subscribers.push_back({std::move(fd), address, 0, {}, {}});
  }
}

}  // namespace

void PeerSync::Serve(std::stop_token stop) {
  std::vector<Subscriber> subscribers;
  while (!stop.stop_requested()) {
    std::vector<pollfd> fds{{listener_.get(), POLLIN, 0}};
    for (const Subscriber& sub : subscribers) {
      fds.push_back(
          {sub.fd.get(), static_cast<short>(POLLIN | (sub.pending.empty() ? 0 : POLLOUT)), 0});
    }
    poll(fds.data(), fds.size(), 100);
    size_t polled = subscribers.size();
    if (fds[0].revents & POLLIN) AcceptSubscribers(listener_.get(), *shared_, subscribers);
    std::string line;
    uint64_t version;
    {
      std::lock_guard lock(shared_->mu);
      line = shared_->own_line;
      version = shared_->own_version;
    }
    Clock::time_point now = Clock::now();
    for (size_t i = 0; i < subscribers.size(); ++i) {
      Subscriber& sub = subscribers[i];
      short revents = i < polled ? fds[i + 1].revents : 0;
      bool alive = !(revents & (POLLIN | POLLHUP | POLLERR)) || DrainIncoming(sub);
      bool due = sub.sent_version != version || now - sub.sent_at >= kPushEvery;
      if (alive && !line.empty() && sub.pending.empty() && due) {
        sub.pending = line;
        sub.sent_version = version;
        sub.sent_at = now;
      }
      if (alive && Flush(sub) && sub.pending.size() <= kMaxPendingBytes) continue;
      shared_->log("peer sync: " + sub.address + " went away");
      sub.fd.Reset();
    }
    std::erase_if(subscribers, [](const Subscriber& sub) { return !sub.fd; });
  }
}

}  // namespace baton::netd
