// GET /metrics over a plain POSIX socket: one thread, one request per
// connection, nothing else served.

#include "runtime/metrics_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>

#include "runtime/metrics.h"

namespace baton::runtime {
namespace {

constexpr int kClientTimeoutMs = 2000;
constexpr size_t kMaxRequestBytes = 8192;

Result<sockaddr_in> ParseAddress(const std::string& address) {
  auto invalid = [&](const std::string& why) {
    return Error::Invalid("", "metrics address \"" + address + "\": " + why);
  };
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return invalid("want IPV4:PORT");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  std::string ip = address.substr(0, colon);
  if (::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1)
    return invalid("\"" + ip + "\" is not an IPv4 address");
  std::string port_text = address.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535)
    return invalid("port \"" + port_text + "\" is not a number in 0-65535");
  addr.sin_port = htons(static_cast<uint16_t>(port));
  return addr;
}

void SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the scraper went away; nothing to report to
    sent += static_cast<size_t>(n);
  }
}

std::string Response(int status, const std::string& reason, const std::string& content_type,
                     const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

// Reads until the end of the request head; "" when the client sends
// nothing usable within the timeout.
std::string ReadHead(int fd) {
  std::string head;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kClientTimeoutMs);
  char buffer[1024];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < kMaxRequestBytes) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return "";
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return "";
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return "";
    head.append(buffer, static_cast<size_t>(n));
  }
  return head;
}

}  // namespace

Result<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& address,
                                                            const MetricsRegistry& registry) {
  Result<sockaddr_in> addr = ParseAddress(address);
  if (!addr.ok()) return addr.error();
  auto failed = [&](const char* what) {
    return Error::Unreachable("", std::string(what) + " " + address + ": " + std::strerror(errno));
  };
  UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listener) return failed("socket for");
  int yes = 1;
  ::setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof *addr) != 0 ||
      ::listen(listener.get(), 16) != 0)
    return failed("listen on");
  sockaddr_in bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&bound), &length) != 0)
    return failed("listen on");
  UniqueFd wake(::eventfd(0, EFD_CLOEXEC));
  if (!wake) return failed("eventfd for");
  return std::unique_ptr<MetricsServer>(
      new MetricsServer(std::move(listener), std::move(wake), ntohs(bound.sin_port), registry));
}

MetricsServer::MetricsServer(UniqueFd listener, UniqueFd wake, uint16_t port,
                             const MetricsRegistry& registry)
    : listener_(std::move(listener)),
      wake_(std::move(wake)),
      port_(port),
      registry_(registry),
      worker_([this](std::stop_token stop) { Serve(stop); }) {}

MetricsServer::~MetricsServer() {
  worker_.request_stop();
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_.get(), &one, sizeof one);
  if (worker_.joinable()) worker_.join();
}

void MetricsServer::Serve(std::stop_token stop) {
  while (!stop.stop_requested()) {
    pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (client) Answer(client.get());
  }
}

void MetricsServer::Answer(int client) {
  std::string head = ReadHead(client);
  if (head.empty()) return;
  std::string request_line = head.substr(0, head.find("\r\n"));
  size_t first = request_line.find(' ');
  size_t second = request_line.find(' ', first + 1);
  if (first == std::string::npos || second == std::string::npos) {
    SendAll(client, Response(400, "Bad Request", "text/plain", "bad request\n"));
    return;
  }
  std::string method = request_line.substr(0, first);
  std::string target = request_line.substr(first + 1, second - first - 1);
  std::string path = target.substr(0, target.find('?'));
  if (path != "/metrics") {
    SendAll(client, Response(404, "Not Found", "text/plain", "not found\n"));
    return;
  }
  if (method != "GET") {
    SendAll(client, Response(405, "Method Not Allowed", "text/plain", "method not allowed\n"));
    return;
  }
  std::string body = RenderPrometheus(registry_) + RenderProcessMetrics(ReadProcessSample());
  SendAll(client, Response(200, "OK", "text/plain; version=0.0.4; charset=utf-8", body));
}

}  // namespace baton::runtime
