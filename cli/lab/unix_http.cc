#include "cli/lab/unix_http.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"

namespace baton::cli::lab {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Result<std::string> Dechunk(std::string_view body) {
  std::string out;
  size_t at = 0;
  for (;;) {
    size_t eol = body.find("\r\n", at);
    if (eol == std::string_view::npos) return Error::Invalid("", "truncated chunked body");
    size_t size = 0;
    try {
      size = std::stoul(std::string(body.substr(at, eol - at)), nullptr, 16);
    } catch (const std::exception&) {
      return Error::Invalid("", "bad chunk size");
    }
    if (size == 0) return out;
    if (eol + 2 + size > body.size()) return Error::Invalid("", "truncated chunked body");
    out.append(body.substr(eol + 2, size));
    at = eol + 2 + size + 2;
  }
}

Status SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::Unreachable("", std::string("send: ") + std::strerror(errno));
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Result<std::string> ReceiveAll(int fd) {
  std::string raw;
  char buf[16384];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::Unreachable("", std::string("receive: ") + std::strerror(errno));
    if (n == 0) return raw;
    raw.append(buf, static_cast<size_t>(n));
  }
}

Result<UniqueFd> Connect(const std::string& socket_path, std::chrono::milliseconds timeout) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path)
    return Error::Invalid("", "socket path too long: " + socket_path);
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  int raw = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (raw < 0) return Error::Internal("", std::string("socket: ") + std::strerror(errno));
  UniqueFd fd(raw);
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  setsockopt(raw, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(raw, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(raw, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return Error::Unreachable("", "connect " + socket_path + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

Result<HttpReply> ParseHttpReply(std::string_view raw) {
  size_t head_end = raw.find("\r\n\r\n");
  if (raw.substr(0, 5) != "HTTP/" || head_end == std::string_view::npos)
    return Error::Invalid("", "not an http reply");
  size_t space = raw.find(' ');
  HttpReply reply;
  try {
    reply.status = std::stoi(std::string(raw.substr(space + 1, 3)));
  } catch (const std::exception&) {
    return Error::Invalid("", "bad http status line");
  }
  std::string head = Lower(raw.substr(0, head_end));
  std::string_view body = raw.substr(head_end + 4);
  if (head.find("\r\ntransfer-encoding: chunked") == std::string::npos) {
    reply.body = std::string(body);
    return reply;
  }
  auto dechunked = Dechunk(body);
  if (!dechunked.ok()) return dechunked.error();
  reply.body = std::move(*dechunked);
  return reply;
}

Result<HttpReply> UnixHttpRequest(const std::string& socket_path, std::string_view method,
                                  std::string_view target, std::string_view content_type,
                                  std::string_view body, std::chrono::milliseconds timeout) {
  auto fd = Connect(socket_path, timeout);
  if (!fd.ok()) return fd.error();
  std::string head = std::string(method) + " " + std::string(target) +
                     " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n";
  if (!content_type.empty()) head += "Content-Type: " + std::string(content_type) + "\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  if (auto s = SendAll(fd->get(), head); !s.ok()) return s.error();
  if (auto s = SendAll(fd->get(), body); !s.ok()) return s.error();
  auto raw = ReceiveAll(fd->get());
  if (!raw.ok()) return raw.error();
  return ParseHttpReply(*raw);
}

}  // namespace baton::cli::lab
