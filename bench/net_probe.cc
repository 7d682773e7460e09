// A small probe for bench/net_bench, run inside a lab container or a lab
// host's network namespace. It links statically against libc and the C++
// standard library only (the lab's busybox image has neither baton nor a
// shared libstdc++), and takes numeric addresses only: no getaddrinfo, whose
// static form would need NSS modules the image lacks.
//
//   dns SERVER NAME COUNT           COUNT sequential A queries to SERVER:53
//   dns-flood SERVER NAME SECONDS [WINDOW]
//                                   WINDOW (64) queries kept outstanding
//   dns-stub ADDRESS                answers every A query with ADDRESS, TTL 1
//   tcp-recv PORT                   accepts one connection at a time, forever
//   tcp-send HOST PORT MEGABYTES    sends, waits for the receiver to close
//
// Results are printed as one line of key=value pairs for net_bench to read.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using Bytes = std::vector<uint8_t>;

constexpr int kReplyTimeoutMillis = 2000;
constexpr uint16_t kTypeA = 1;
constexpr uint16_t kClassIn = 1;

uint16_t Get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

void Put16(Bytes& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value & 0xff));
}

std::optional<sockaddr_in> Ipv4(const char* address, int port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, address, &sa.sin_addr) != 1) return std::nullopt;
  return sa;
}

// ---- DNS wire format (RFC 1035), only what the probe needs ----

// An A query with recursion desired; nullopt when NAME has an empty or
// over-long label.
std::optional<Bytes> BuildQuery(uint16_t id, const std::string& name) {
  Bytes out;
  Put16(out, id);
  Put16(out, 0x0100);  // RD
  Put16(out, 1);       // QDCOUNT
  for (int i = 0; i < 3; ++i) Put16(out, 0);
  size_t start = 0;
  while (start < name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    size_t length = dot - start;
    if (length == 0 || length > 63) return std::nullopt;
    out.push_back(static_cast<uint8_t>(length));
    out.insert(out.end(), name.begin() + start, name.begin() + dot);
    start = dot + 1;
  }
  out.push_back(0);
  Put16(out, kTypeA);
  Put16(out, kClassIn);
  return out;
}

// Offset just past the (possibly compressed) name at `at`, or 0 when it runs
// past the message.
size_t SkipName(const uint8_t* msg, size_t size, size_t at) {
  while (at < size) {
    uint8_t length = msg[at];
    if ((length & 0xc0) == 0xc0) return at + 2 <= size ? at + 2 : 0;
    if (length == 0) return at + 1;
    at += 1 + length;
  }
  return 0;
}

struct Reply {
  uint16_t id = 0;
  int rcode = 0;
  std::vector<std::string> addresses;  // the A records' addresses
};

// Parses a response's header and A answers; nullopt when it is not a
// well-formed response.
std::optional<Reply> ParseReply(const uint8_t* msg, size_t size) {
  if (size < 12 || (msg[2] & 0x80) == 0) return std::nullopt;
  Reply reply;
  reply.id = Get16(msg);
  reply.rcode = msg[3] & 0x0f;
  size_t at = 12;
  for (int q = Get16(msg + 4); q > 0; --q) {
    at = SkipName(msg, size, at);
    if (at == 0 || at + 4 > size) return std::nullopt;
    at += 4;
  }
  for (int a = Get16(msg + 6); a > 0; --a) {
    at = SkipName(msg, size, at);
    if (at == 0 || at + 10 > size) return std::nullopt;
    uint16_t type = Get16(msg + at), length = Get16(msg + at + 8);
    at += 10;
    if (at + length > size) return std::nullopt;
    if (type == kTypeA && length == 4) {
      char text[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, msg + at, text, sizeof text);
      reply.addresses.push_back(text);
    }
    at += length;
  }
  return reply;
}

// A UDP socket connected to SERVER:53, so only its replies arrive.
int ConnectedUdp(const char* server) {
  auto sa = Ipv4(server, 53);
  if (!sa) return -1;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&*sa), sizeof *sa) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// The long-running modes may be a container's PID 1, which gets no default
// action for SIGTERM: leave at once instead of waiting for the SIGKILL.
void ExitOnTerm() {
  std::signal(SIGTERM, [](int) { _exit(0); });
}

// ---- dns: sequential latency ----

struct Exchange {
  bool answered = false;
  double micros = 0;
  std::vector<std::string> addresses;
};

// Sends one query and waits for the reply with its id (a late reply to an
// earlier, timed-out query is skipped). Not answered on timeout or an rcode.
Exchange AskOnce(int fd, uint16_t id, const Bytes& query) {
  Exchange result;
  Clock::time_point start = Clock::now();
  if (send(fd, query.data(), query.size(), 0) < 0) return result;
  uint8_t buffer[4096];
  for (;;) {
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    int left = kReplyTimeoutMillis - static_cast<int>(waited.count());
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, left) <= 0) return result;
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n < 0) return result;
    auto reply = ParseReply(buffer, static_cast<size_t>(n));
    if (!reply || reply->id != id) continue;
    result.micros = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    result.answered = reply->rcode == 0;
    result.addresses = std::move(reply->addresses);
    return result;
  }
}

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

int RunDns(const char* server, const std::string& name, int count) {
  int fd = ConnectedUdp(server);
  if (fd < 0 || count <= 0) return 2;
  std::mt19937 random(std::random_device{}());
  std::vector<double> micros;
  std::set<std::string> seen;
  int failures = 0;
  for (int i = 0; i < count; ++i) {
    uint16_t id = static_cast<uint16_t>(random());
    auto query = BuildQuery(id, name);
    if (!query) return 2;
    Exchange exchange = AskOnce(fd, id, *query);
    if (!exchange.answered) {
      ++failures;
      continue;
    }
    micros.push_back(exchange.micros);
    seen.insert(exchange.addresses.begin(), exchange.addresses.end());
  }
  close(fd);
  std::string addresses;
  for (const std::string& a : seen) addresses += (addresses.empty() ? "" : ",") + a;
  std::printf("dns queries=%d answered=%zu failures=%d median_us=%.0f p99_us=%.0f addresses=%s\n",
              count, micros.size(), failures, Percentile(micros, 0.5), Percentile(micros, 0.99),
              addresses.empty() ? "-" : addresses.c_str());
  return micros.empty() ? 1 : 0;
}

// ---- dns-flood: throughput ----

// Queries in flight, oldest first; sent_at[id] is zero once answered.
struct Window {
  std::vector<Clock::time_point> sent_at = std::vector<Clock::time_point>(65536);
  std::deque<uint16_t> order;
  int outstanding = 0;
  long answered = 0, failed = 0, lost = 0;
};

void ReceiveReplies(int fd, Window& window) {
  uint8_t buffer[4096];
  for (;;) {
    ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0) return;
    auto reply = ParseReply(buffer, static_cast<size_t>(n));
    if (!reply || window.sent_at[reply->id] == Clock::time_point{}) continue;
    window.sent_at[reply->id] = {};
    --window.outstanding;
    ++(reply->rcode == 0 ? window.answered : window.failed);
  }
}

// Forgets answered queries at the front and gives up on ones older than the
// reply timeout, so a dropped datagram does not shrink the window for good.
void ExpireOld(Window& window, Clock::time_point now) {
  while (!window.order.empty()) {
    Clock::time_point& sent = window.sent_at[window.order.front()];
    if (sent != Clock::time_point{}) {
      if (now - sent < std::chrono::milliseconds(kReplyTimeoutMillis)) return;
      sent = {};
      --window.outstanding;
      ++window.lost;
    }
    window.order.pop_front();
  }
}

int RunDnsFlood(const char* server, const std::string& name, int seconds, int size) {
  int fd = ConnectedUdp(server);
  auto query = BuildQuery(0, name);
  if (fd < 0 || !query || seconds <= 0 || size <= 0 || size > 4096) return 2;
  std::mt19937 random(std::random_device{}());
  Window window;
  Clock::time_point start = Clock::now(), end = start + std::chrono::seconds(seconds);
  for (Clock::time_point now = start; now < end; now = Clock::now()) {
    while (window.outstanding < size) {
      uint16_t id = static_cast<uint16_t>(random());
      if (window.sent_at[id] != Clock::time_point{}) continue;
      (*query)[0] = static_cast<uint8_t>(id >> 8), (*query)[1] = static_cast<uint8_t>(id);
      if (send(fd, query->data(), query->size(), 0) < 0) break;
      window.sent_at[id] = now;
      window.order.push_back(id);
      ++window.outstanding;
    }
    pollfd p{fd, POLLIN, 0};
    poll(&p, 1, 10);
    ReceiveReplies(fd, window);
    ExpireOld(window, Clock::now());
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("dns-flood seconds=%.2f window=%d answered=%ld failed=%ld lost=%ld qps=%.0f\n",
              elapsed, size, window.answered, window.failed, window.lost,
              static_cast<double>(window.answered) / elapsed);
  close(fd);
  return 0;
}

// ---- dns-stub: the lab's upstream resolver ----

// The reply to `query`: its question echoed, and for an A (or ANY) question
// one A record for `address` with TTL 1. Empty when the query is unusable.
Bytes StubAnswer(const uint8_t* query, size_t size, const in_addr& address) {
  if (size < 12 || (query[2] & 0x80) != 0 || Get16(query + 4) != 1) return {};
  size_t end = SkipName(query, size, 12);
  if (end == 0 || end + 4 > size) return {};
  uint16_t type = Get16(query + end);
  bool answer = type == kTypeA || type == 255;
  Bytes out(query, query + 12);
  out[2] = static_cast<uint8_t>(0x84 | (query[2] & 0x01));  // QR, AA, RD copied
  out[3] = 0x80;                                            // RA, NOERROR
  out[6] = 0, out[7] = answer ? 1 : 0;
  for (int i = 8; i < 12; ++i) out[i] = 0;
  out.insert(out.end(), query + 12, query + end + 4);
  if (!answer) return out;
  Put16(out, 0xc00c);  // the question's name
  Put16(out, kTypeA);
  Put16(out, kClassIn);
  Put16(out, 0), Put16(out, 1);  // TTL 1 s
  Put16(out, 4);
  const uint8_t* ip = reinterpret_cast<const uint8_t*>(&address.s_addr);
  out.insert(out.end(), ip, ip + 4);
  return out;
}

int RunDnsStub(const char* address) {
  auto sa = Ipv4(address, 53);
  if (!sa) return 2;
  ExitOnTerm();
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&*sa), sizeof *sa) != 0) {
    std::perror("net_probe: dns-stub: bind");
    return 1;
  }
  uint8_t buffer[4096];
  for (;;) {
    sockaddr_in from{};
    socklen_t from_size = sizeof from;
    ssize_t n =
        recvfrom(fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_size);
    if (n < 0) continue;
    Bytes reply = StubAnswer(buffer, static_cast<size_t>(n), sa->sin_addr);
    if (!reply.empty())
      sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), from_size);
  }
}

// ---- tcp-recv / tcp-send: throughput ----

int RunTcpRecv(int port) {
  ExitOnTerm();
  auto sa = Ipv4("0.0.0.0", port);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (!sa || fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&*sa), sizeof *sa) != 0 ||
      listen(fd, 4) != 0) {
    std::perror("net_probe: tcp-recv");
    return 1;
  }
  std::vector<char> buffer(1 << 18);
  for (;;) {
    int conn = accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) continue;
    long long total = 0;
    for (ssize_t n; (n = read(conn, buffer.data(), buffer.size())) > 0;) total += n;
    // Closing tells the sender every byte arrived: it times until then.
    close(conn);
    std::fprintf(stderr, "tcp-recv bytes=%lld\n", total);
  }
}

int RunTcpSend(const char* host, int port, long long megabytes) {
  auto sa = Ipv4(host, port);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!sa || fd < 0 || megabytes <= 0) return 2;
  if (connect(fd, reinterpret_cast<sockaddr*>(&*sa), sizeof *sa) != 0) {
    std::perror("net_probe: tcp-send: connect");
    return 1;
  }
  std::vector<char> buffer(1 << 18, 'x');
  long long total = megabytes << 20, sent = 0;
  Clock::time_point start = Clock::now();
  while (sent < total) {
    size_t chunk = static_cast<size_t>(std::min<long long>(total - sent, buffer.size()));
    ssize_t n = write(fd, buffer.data(), chunk);
    if (n <= 0) {
      std::perror("net_probe: tcp-send: write");
      return 1;
    }
    sent += n;
  }
  shutdown(fd, SHUT_WR);
  char byte;
  while (read(fd, &byte, 1) > 0) {
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  double bytes_per_s = static_cast<double>(total) / seconds;
  std::printf("tcp bytes=%lld seconds=%.3f mb_per_s=%.1f gbit_per_s=%.3f\n", total, seconds,
              bytes_per_s / (1 << 20), bytes_per_s * 8 / 1e9);
  close(fd);
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: net_probe dns SERVER NAME COUNT\n"
               "       net_probe dns-flood SERVER NAME SECONDS [WINDOW]\n"
               "       net_probe dns-stub ADDRESS\n"
               "       net_probe tcp-recv PORT\n"
               "       net_probe tcp-send HOST PORT MEGABYTES\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string mode = args.empty() ? "" : args[0];
  int status = 2;
  if (mode == "dns" && args.size() == 4)
    status = RunDns(argv[2], args[2], std::atoi(argv[4]));
  else if (mode == "dns-flood" && (args.size() == 4 || args.size() == 5))
    status = RunDnsFlood(argv[2], args[2], std::atoi(argv[4]),
                         args.size() == 5 ? std::atoi(argv[5]) : 64);
  else if (mode == "dns-stub" && args.size() == 2)
    status = RunDnsStub(argv[2]);
  else if (mode == "tcp-recv" && args.size() == 2)
    status = RunTcpRecv(std::atoi(argv[2]));
  else if (mode == "tcp-send" && args.size() == 4)
    status = RunTcpSend(argv[2], std::atoi(argv[3]), std::atoll(argv[4]));
  return status == 2 ? Usage() : status;
}
