#include "runtime/netd/dns_server.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "base/unique_fd.h"
#include "runtime/dns/message.h"
#include "runtime/netd/dns_socket.h"
#include "runtime/netd/forward_table.h"
#include "runtime/netd/ipv4.h"

namespace baton::netd {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kForwardTimeout = std::chrono::seconds(2);
constexpr auto kTcpIdle = std::chrono::seconds(5);
constexpr auto kRebindEvery = std::chrono::seconds(1);
constexpr size_t kMaxTcpMessage = 65535;

struct GatewaySockets {
  UniqueFd udp;
  UniqueFd tcp;
};

Result<GatewaySockets> OpenGateway(uint32_t address, uint16_t port) {
  auto udp = BindUdp(address, port);
  if (!udp.ok()) return udp.error();
  auto tcp = ListenTcp(address, port);
  if (!tcp.ok()) return tcp.error();
  return GatewaySockets{std::move(*udp), std::move(*tcp)};
}

struct TcpClient {
  UniqueFd fd;
  uint32_t peer = 0;
  std::string in;   // bytes of the query being read
  std::string out;  // length-prefixed replies not yet sent
  Clock::time_point idle_until;
};

// Where a reply goes: a UDP client of a gateway socket, or a TCP client.
struct ReplyTo {
  bool tcp = false;
  std::string gateway;  // UDP: the socket the query came in on
  sockaddr_in client{};
  uint64_t tcp_client = 0;
};

}  // namespace

// Everything the server thread owns, plus the inputs other threads set.
class DnsServer::Loop {
 public:
  Loop(uint16_t port, uint16_t upstream_port, Log log)
      : port_(port),
        upstream_port_(upstream_port),
        log_(std::move(log)),
        forwards_(kMaxPendingForwards, std::random_device()()) {}

  void Run(std::stop_token stop);

  std::mutex mu;
  std::vector<std::string> wanted_gateways;                      // guarded by mu
  std::shared_ptr<const std::vector<dns::Endpoint>> endpoints =  // guarded by mu
      std::make_shared<std::vector<dns::Endpoint>>();
  std::vector<uint32_t> upstreams;         // guarded by mu
  std::set<std::string> serving_gateways;  // guarded by mu; bound as of the last sync

 private:
  void SyncGateways();
  void ReadUdp(const std::string& gateway, int fd);
  void AcceptTcp(int listener);
  void ReadTcp(uint64_t id, TcpClient& client);
  void ReadUpstream();
  void Handle(std::string_view query, uint32_t asker, const ReplyTo& to);
  void Forward(std::string_view query, const ReplyTo& to);
  void Send(const ReplyTo& to, std::string_view bytes);
  void ExpireForwards();
  void FlushTcp();

  const uint16_t port_;
  const uint16_t upstream_port_;
  const Log log_;
  std::map<std::string, GatewaySockets> gateways_;
  std::map<std::string, std::string> bind_failures_;  // last logged, so it is logged once
  Clock::time_point next_bind_;
  std::map<uint64_t, TcpClient> tcp_clients_;
  uint64_t next_tcp_id_ = 1;
  UniqueFd upstream_;
  ForwardTable forwards_;
  std::map<uint64_t, ReplyTo> reply_to_;  // by PendingForward::client
  uint64_t next_reply_id_ = 1;
  uint32_t rotation_ = 0;
};

DnsServer::DnsServer(uint16_t port, Log log, uint16_t upstream_port)
    : loop_(std::make_shared<Loop>(port, upstream_port, std::move(log))) {}

DnsServer::~DnsServer() = default;

void DnsServer::Start() {
  thread_ = std::jthread([loop = loop_](std::stop_token stop) { loop->Run(stop); });
}

void DnsServer::SetGateways(std::vector<std::string> gateways) {
  std::lock_guard lock(loop_->mu);
  loop_->wanted_gateways = std::move(gateways);
}

bool DnsServer::Serves(const std::vector<std::string>& gateways) const {
  std::lock_guard lock(loop_->mu);
  for (const std::string& gateway : gateways)
    if (loop_->serving_gateways.count(gateway) == 0) return false;
  return true;
}

void DnsServer::SetEndpoints(std::vector<dns::Endpoint> endpoints) {
  auto shared = std::make_shared<const std::vector<dns::Endpoint>>(std::move(endpoints));
  std::lock_guard lock(loop_->mu);
  loop_->endpoints = std::move(shared);
}

void DnsServer::SetUpstreams(std::vector<std::string> upstreams) {
  std::vector<uint32_t> addresses;
  for (const std::string& upstream : upstreams) {
    if (auto address = ParseIpv4(upstream)) addresses.push_back(*address);
  }
  std::lock_guard lock(loop_->mu);
  loop_->upstreams = std::move(addresses);
}

void DnsServer::Loop::Run(std::stop_token stop) {
  if (auto fd = OpenUdp(); fd.ok()) {
    upstream_ = std::move(*fd);
  } else {
    log_("dns: no upstream socket: " + fd.error().ToString());
  }
  while (!stop.stop_requested()) {
    SyncGateways();
    std::vector<pollfd> fds;
    std::vector<std::function<void()>> on_ready;
    for (auto& [gateway, sockets] : gateways_) {
      fds.push_back({sockets.udp.get(), POLLIN, 0});
      on_ready.push_back([this, g = gateway, fd = sockets.udp.get()] { ReadUdp(g, fd); });
      fds.push_back({sockets.tcp.get(), POLLIN, 0});
      on_ready.push_back([this, fd = sockets.tcp.get()] { AcceptTcp(fd); });
    }
    for (auto& [id, client] : tcp_clients_) {
      fds.push_back({client.fd.get(), POLLIN, 0});
      on_ready.push_back([this, id = id, &client = client] { ReadTcp(id, client); });
    }
    fds.push_back({upstream_.get(), POLLIN, 0});
    on_ready.push_back([this] { ReadUpstream(); });
    poll(fds.data(), fds.size(), 100);
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents != 0) on_ready[i]();
    }
    ExpireForwards();
    FlushTcp();
  }
}

void DnsServer::Loop::SyncGateways() {
  std::vector<std::string> wanted;
  {
    std::lock_guard lock(mu);
    wanted = wanted_gateways;
  }
  for (auto it = gateways_.begin(); it != gateways_.end();) {
    bool keep = std::find(wanted.begin(), wanted.end(), it->first) != wanted.end();
    if (!keep) log_("dns: stopped serving on " + it->first);
    it = keep ? std::next(it) : gateways_.erase(it);
  }
  std::erase_if(bind_failures_, [&](const auto& failure) {
    return std::find(wanted.begin(), wanted.end(), failure.first) == wanted.end();
  });
  // A new gateway is bound at once; one that failed (its bridge has no
  // address yet) is retried every kRebindEvery.
  bool retry_due = Clock::now() >= next_bind_;
  if (retry_due) next_bind_ = Clock::now() + kRebindEvery;
  for (const std::string& gateway : wanted) {
    auto address = ParseIpv4(gateway);
    if (!address || gateways_.count(gateway) != 0) continue;
    if (bind_failures_.count(gateway) != 0 && !retry_due) continue;
    auto sockets = OpenGateway(*address, port_);
    if (!sockets.ok()) {
      std::string why = sockets.error().ToString();
      if (bind_failures_[gateway] != why) log_("dns: not yet serving on " + gateway + ": " + why);
      bind_failures_[gateway] = why;
      continue;
    }
    bind_failures_.erase(gateway);
    gateways_.insert_or_assign(gateway, std::move(*sockets));
    log_("dns: serving on " + gateway + ":" + std::to_string(port_));
  }
  std::set<std::string> serving;
  for (const auto& [gateway, sockets] : gateways_) serving.insert(gateway);
  std::lock_guard lock(mu);
  serving_gateways = std::move(serving);
}

void DnsServer::Loop::ReadUdp(const std::string& gateway, int fd) {
  char buf[4096];
  sockaddr_in from{};
  socklen_t len = sizeof from;
  ssize_t n = recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
  if (n <= 0 || from.sin_family != AF_INET) return;
  ReplyTo to;
  to.gateway = gateway;
  to.client = from;
  Handle(std::string_view(buf, static_cast<size_t>(n)), ntohl(from.sin_addr.s_addr), to);
}

void DnsServer::Loop::AcceptTcp(int listener) {
  sockaddr_in from{};
  socklen_t len = sizeof from;
  UniqueFd fd(
      accept4(listener, reinterpret_cast<sockaddr*>(&from), &len, SOCK_NONBLOCK | SOCK_CLOEXEC));
  if (!fd || tcp_clients_.size() >= kMaxTcpConnections) return;  // over the cap: closed
  TcpClient client;
  client.fd = std::move(fd);
  client.peer = ntohl(from.sin_addr.s_addr);
  client.idle_until = Clock::now() + kTcpIdle;
  tcp_clients_.emplace(next_tcp_id_++, std::move(client));
}

// Reads what arrived; answers each complete length-prefixed query. A closed,
// failed or oversized client is closed (and swept by FlushTcp).
void DnsServer::Loop::ReadTcp(uint64_t id, TcpClient& client) {
  char buf[4096];
  ssize_t n = recv(client.fd.get(), buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0 || client.in.size() + static_cast<size_t>(n) > 2 + kMaxTcpMessage + 4096) {
    client.fd.Reset();
    return;
  }
  client.in.append(buf, static_cast<size_t>(n));
  client.idle_until = Clock::now() + kTcpIdle;
  while (client.in.size() >= 2) {
    size_t size = (static_cast<uint8_t>(client.in[0]) << 8) | static_cast<uint8_t>(client.in[1]);
    if (client.in.size() < 2 + size) break;
    std::string query = client.in.substr(2, size);
    client.in.erase(0, 2 + size);
    ReplyTo to;
    to.tcp = true;
    to.tcp_client = id;
    Handle(query, client.peer, to);
  }
}

void DnsServer::Loop::Handle(std::string_view query, uint32_t asker, const ReplyTo& to) {
  std::shared_ptr<const std::vector<dns::Endpoint>> endpoints;
  {
    std::lock_guard lock(mu);
    endpoints = this->endpoints;
  }
  dns::ResolveOptions options;
  options.rotation = rotation_++;
  if (to.tcp) options.max_size = kMaxTcpMessage;
  dns::Reply reply = dns::Resolve(query, asker, *endpoints, options);
  if (reply.verdict == dns::Verdict::kAnswer) Send(to, reply.bytes);
  if (reply.verdict == dns::Verdict::kForward) Forward(query, to);
}

// Relays to every upstream at once: the first reply wins, later ones find no
// pending entry and are dropped.
void DnsServer::Loop::Forward(std::string_view query, const ReplyTo& to) {
  std::vector<uint32_t> servers;
  {
    std::lock_guard lock(mu);
    servers = upstreams;
  }
  uint64_t handle = next_reply_id_++;
  auto id = servers.empty() || !upstream_
                ? std::nullopt
                : forwards_.Add({std::string(query), handle, Clock::now() + kForwardTimeout});
  if (!id) {
    Send(to, dns::ServFail(query));
    return;
  }
  reply_to_[handle] = to;
  std::string relayed = WithId(std::string(query), *id);
  for (uint32_t server : servers)
    SendDatagram(upstream_.get(), SocketAddress(server, upstream_port_), relayed);
}

void DnsServer::Loop::ReadUpstream() {
  char buf[65536];
  sockaddr_in from{};
  socklen_t len = sizeof from;
  ssize_t n =
      recvfrom(upstream_.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
  if (n < 12 || ntohs(from.sin_port) != upstream_port_) return;
  {
    std::lock_guard lock(mu);
    uint32_t source = ntohl(from.sin_addr.s_addr);
    if (std::find(upstreams.begin(), upstreams.end(), source) == upstreams.end()) return;
  }
  std::string reply(buf, static_cast<size_t>(n));
  auto pending = forwards_.Take(IdOf(reply));
  if (!pending) return;
  auto to = reply_to_.extract(pending->client);
  if (!to.empty()) Send(to.mapped(), WithId(std::move(reply), IdOf(pending->query)));
}

void DnsServer::Loop::ExpireForwards() {
  for (PendingForward& expired : forwards_.TakeExpired(Clock::now())) {
    auto to = reply_to_.extract(expired.client);
    if (!to.empty()) Send(to.mapped(), dns::ServFail(expired.query));
  }
}

void DnsServer::Loop::Send(const ReplyTo& to, std::string_view bytes) {
  if (bytes.empty()) return;
  if (!to.tcp) {
    auto it = gateways_.find(to.gateway);
    if (it != gateways_.end()) SendDatagram(it->second.udp.get(), to.client, bytes);
    return;
  }
  auto it = tcp_clients_.find(to.tcp_client);
  if (it == tcp_clients_.end() || bytes.size() > kMaxTcpMessage) return;
  it->second.out += static_cast<char>(bytes.size() >> 8);
  it->second.out += static_cast<char>(bytes.size() & 0xff);
  it->second.out.append(bytes);
}

// Sends queued TCP replies and closes clients that failed, went idle or
// stopped reading.
void DnsServer::Loop::FlushTcp() {
  Clock::time_point now = Clock::now();
  for (auto& [id, client] : tcp_clients_) {
    while (client.fd && !client.out.empty()) {
      ssize_t n = send(client.fd.get(), client.out.data(), client.out.size(), MSG_NOSIGNAL);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
      if (n <= 0) client.fd.Reset();
      if (n > 0) client.out.erase(0, static_cast<size_t>(n));
    }
    if (now > client.idle_until) client.fd.Reset();
  }
  std::erase_if(tcp_clients_, [](const auto& entry) { return !entry.second.fd; });
}

}  // namespace baton::netd
