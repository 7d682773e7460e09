// HijackedConnection: the request, the response head, and the error body of
// a refused request, read with plain socket calls and one deadline.

#include "runtime/docker_hijack.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

namespace baton::runtime {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxHeadBytes = 64 << 10;
// An error answer is a short JSON message; more than this is not worth keeping.
constexpr std::size_t kMaxErrorBodyBytes = 1 << 20;

// Poll timeouts for one overall limit; no limit when made from zero.
class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds limit)
      : end_(limit.count() > 0 ? std::optional(Clock::now() + limit) : std::nullopt) {}
  // Milliseconds left for poll(): -1 without a limit, 0 once it passed.
  int PollTimeout() const {
    if (!end_) return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*end_ - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
  }

 private:
  std::optional<Clock::time_point> end_;
};

std::string ErrnoText(int error) { return std::strerror(error); }

// Waits for `events` on `fd`; false once the deadline passes.
bool WaitFor(int fd, short events, const Deadline& deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    int n = ::poll(&p, 1, deadline.PollTimeout());
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;  // the read or write that follows reports the error
  }
}

Result<UniqueFd> ConnectSocket(const DockerOptions& options, const std::string& where) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (options.socket_path.size() >= sizeof address.sun_path)
    return Error::Invalid(where, "socket path too long: " + options.socket_path);
  std::memcpy(address.sun_path, options.socket_path.c_str(), options.socket_path.size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return Error::Internal(where, "socket: " + ErrnoText(errno));
  auto unreachable = [&](const std::string& reason) {
    return Error::Unreachable(where, "connect " + options.socket_path + ": " + reason);
  };
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0)
    return fd;
  // A unix socket whose backlog is full answers EAGAIN; it may still accept in time.
  if (errno != EAGAIN && errno != EINPROGRESS) return unreachable(ErrnoText(errno));
  if (!WaitFor(fd.get(), POLLOUT, Deadline(options.connect_timeout)))
    return unreachable("timed out");
  int error = 0;
  socklen_t size = sizeof error;
  ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &size);
  if (error != 0) return unreachable(ErrnoText(error));
  return fd;
}

Status SendAll(int fd, std::string_view data, const Deadline& deadline, const std::string& where) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return Error::Unreachable(where, "send: " + ErrnoText(errno));
    if (!WaitFor(fd, POLLOUT, deadline)) return Error::Unreachable(where, "send: timed out");
  }
  return Status::Ok();
}

// Appends what arrives next to `into`; false at end of stream.
Result<bool> ReceiveSome(int fd, std::string& into, const Deadline& deadline,
                         const std::string& where) {
  char buffer[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      into.append(buffer, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return Error::Unreachable(where, "receive: " + ErrnoText(errno));
    if (!WaitFor(fd, POLLIN, deadline))
      return Error::Unreachable(where, "no response in time");
  }
}

std::string RequestText(const HttpRequest& request) {
  std::string text = request.method + " " + request.target + " HTTP/1.1\r\n";
  text += "Host: docker\r\nUser-Agent: baton\r\n";
  if (!request.content_type.empty()) text += "Content-Type: " + request.content_type + "\r\n";
  text += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  text += "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
  return text + request.body;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Reads "HTTP/1.1 101 UPGRADED" and the header lines; nullopt when it is not HTTP.
std::optional<HttpResponse> ParseHead(std::string_view head) {
  std::size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12 || status_line[8] != ' ')
    return std::nullopt;
  HttpResponse response;
  for (std::size_t i = 9; i < 12; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(status_line[i]))) return std::nullopt;
    response.status = response.status * 10 + (status_line[i] - '0');
  }
  response.reason = std::string(Trim(status_line.substr(12)));
  while (line_end != std::string_view::npos && line_end + 2 < head.size()) {
    std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    std::string_view line = head.substr(start, line_end - start);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    response.headers[Lower(Trim(line.substr(0, colon)))] = std::string(Trim(line.substr(colon + 1)));
  }
  return response;
}

// Decodes a complete chunked body; nullopt while more is needed.
std::optional<std::string> Dechunk(std::string_view data) {
  std::string body;
  for (;;) {
    std::size_t line_end = data.find("\r\n");
    if (line_end == std::string_view::npos) return std::nullopt;
    std::size_t size = 0;
    for (char c : data.substr(0, line_end)) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) break;
      size = size * 16 + static_cast<std::size_t>(std::isdigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
      if (size > kMaxErrorBodyBytes) return body;
    }
    data.remove_prefix(line_end + 2);
    if (size == 0) return body;
    if (data.size() < size + 2) return std::nullopt;
    body.append(data.substr(0, size));
    data.remove_prefix(size + 2);
  }
}

// Whether `body` holds the whole error body as the head describes it.
bool BodyComplete(const HttpResponse& response, const std::string& body) {
  auto length = response.headers.find("content-length");
  if (length != response.headers.end())
    return body.size() >= std::strtoull(length->second.c_str(), nullptr, 10);
  auto encoding = response.headers.find("transfer-encoding");
  if (encoding != response.headers.end() && Lower(encoding->second) == "chunked")
    return Dechunk(body).has_value();
  return false;  // delimited by the end of the connection
}

// Reads the body of a refused request, so the error carries Docker's message.
Error RefusalError(int fd, HttpResponse response, std::string body, const Deadline& deadline,
                   const std::string& where) {
  while (!BodyComplete(response, body) && body.size() < kMaxErrorBodyBytes) {
    Result<bool> more = ReceiveSome(fd, body, deadline, where);
    if (!more.ok() || !*more) break;  // keep what came: the status alone still says enough
  }
  auto encoding = response.headers.find("transfer-encoding");
  bool chunked = encoding != response.headers.end() && Lower(encoding->second) == "chunked";
  response.body = chunked ? Dechunk(body).value_or("") : body;
  return ResponseError(where, response);
}

}  // namespace

Result<HijackedConnection> HijackedConnection::Open(const DockerOptions& options,
                                                    const HttpRequest& request) {
  std::string where = options.host.empty() ? "" : "host " + options.host;
  Result<UniqueFd> fd = ConnectSocket(options, where);
  if (!fd.ok()) return fd.error();
  Deadline deadline(request.timeout.value_or(options.call_timeout));
  if (Status s = SendAll(fd->get(), RequestText(request), deadline, where); !s.ok())
    return s.error();
  std::string received;
  std::size_t head_end = std::string::npos;
  while ((head_end = received.find("\r\n\r\n")) == std::string::npos) {
    if (received.size() > kMaxHeadBytes)
      return Error::Internal(where, "malformed response: response head over 64 KiB");
    Result<bool> more = ReceiveSome(fd->get(), received, deadline, where);
    if (!more.ok()) return more.error();
    if (!*more) return Error::Unreachable(where, "connection closed before the response");
  }
  std::optional<HttpResponse> response = ParseHead(std::string_view(received).substr(0, head_end));
  if (!response)
    return Error::Internal(where, "malformed response: not http: " +
                                      received.substr(0, std::min<std::size_t>(head_end, 80)));
  std::string rest = received.substr(head_end + 4);
  if (response->status != 101 && response->status != 200)
    return RefusalError(fd->get(), std::move(*response), std::move(rest), deadline, where);
  return HijackedConnection(std::move(*fd), std::move(rest), std::move(where));
}

std::string HijackedConnection::TakeEarlyBytes() { return std::exchange(early_, std::string()); }

Status HijackedConnection::CloseWrite() {
  if (::shutdown(fd_.get(), SHUT_WR) == 0 || errno == ENOTCONN) return Status::Ok();
  return Error::Unreachable(where_, "close input: " + ErrnoText(errno));
}

}  // namespace baton::runtime
