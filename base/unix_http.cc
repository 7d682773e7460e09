#include "base/unix_http.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include "base/unique_fd.h"

namespace baton {
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

Result<int> ParseStatusLine(std::string_view raw) {
  if (raw.substr(0, 5) != "HTTP/") return Error::Invalid("", "not an http reply");
  size_t space = raw.find(' ');
  int status = 0;
  std::string_view digits = space == std::string_view::npos ? "" : raw.substr(space + 1, 3);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), status);
  if (digits.size() != 3 || ec != std::errc() || end != digits.data() + 3) {
    return Error::Invalid("", "bad http status line");
  }
  return status;
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

// Undoes chunked transfer encoding as the bytes arrive, in any split.
class ChunkDecoder {
 public:
  // Appends the payload found in `in` to `out`; kInvalid on a malformed chunk.
  Status Feed(std::string_view in, std::string& out);
  bool done() const { return state_ == State::kDone; }

 private:
  enum class State { kSize, kData, kDataEnd, kDone };
  Status ReadSize(size_t at, size_t eol);

  State state_ = State::kSize;
  size_t remaining_ = 0;
  std::string pending_;
};

Status ChunkDecoder::ReadSize(size_t at, size_t eol) {
  std::string_view line = std::string_view(pending_).substr(at, eol - at);
  line = line.substr(0, line.find(';'));  // chunk extensions mean nothing here
  size_t size = 0;
  auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
  if (line.empty() || ec != std::errc() || end != line.data() + line.size()) {
    return Error::Invalid("", "bad chunk size");
  }
  remaining_ = size;
  state_ = size == 0 ? State::kDone : State::kData;
  return Status::Ok();
}

Status ChunkDecoder::Feed(std::string_view in, std::string& out) {
  pending_.append(in);
  size_t at = 0;
  while (state_ != State::kDone) {
    if (state_ == State::kSize) {
      size_t eol = pending_.find("\r\n", at);
      if (eol == std::string::npos) {
        if (pending_.size() - at > 1024) return Error::Invalid("", "bad chunk size");
        break;
      }
      if (auto s = ReadSize(at, eol); !s.ok()) return s;
      at = eol + 2;
    } else if (state_ == State::kData) {
      size_t take = std::min(remaining_, pending_.size() - at);
      out.append(pending_, at, take);
      at += take;
      remaining_ -= take;
      if (remaining_ > 0) break;
      state_ = State::kDataEnd;
    } else {
      if (pending_.size() - at < 2) break;
      if (pending_.compare(at, 2, "\r\n") != 0) return Error::Invalid("", "bad chunk end");
      at += 2;
      state_ = State::kSize;
    }
  }
  pending_.erase(0, at);
  return Status::Ok();
}

// Splits a streamed body into lines for a LineHandler.
class LineSplitter {
 public:
  LineSplitter(const LineHandler& on_line, size_t max_line)
      : on_line_(on_line), max_line_(max_line) {}
  // False once the handler asked to stop; kInvalid on an overlong line.
  Result<bool> Feed(std::string_view data) {
    buffer_.append(data);
    size_t at = 0;
    for (size_t eol; (eol = buffer_.find('\n', at)) != std::string::npos; at = eol + 1) {
      if (eol - at > max_line_) return TooLong();
      if (!on_line_(std::string_view(buffer_).substr(at, eol - at))) return false;
    }
    buffer_.erase(0, at);
    if (buffer_.size() > max_line_) return TooLong();
    return true;
  }

 private:
  Error TooLong() const {
    return Error::Invalid("", "line longer than " + std::to_string(max_line_) + " bytes");
  }
  const LineHandler& on_line_;
  size_t max_line_;
  std::string buffer_;
};

// The body of a streamed reply, after its head.
class StreamBody {
 public:
  StreamBody(bool chunked, const LineHandler& on_line, size_t max_line)
      : chunked_(chunked), lines_(on_line, max_line) {}
  // False when the stream is over (handler stop or last chunk).
  Result<bool> Feed(std::string_view raw) {
    if (!chunked_) return lines_.Feed(raw);
    std::string data;
    if (auto s = chunks_.Feed(raw, data); !s.ok()) return s.error();
    auto more = lines_.Feed(data);
    if (!more.ok() || !*more) return more;
    return !chunks_.done();
  }

 private:
  bool chunked_;
  ChunkDecoder chunks_;
  LineSplitter lines_;
};

// Waits up to 100 ms for `fd` to be readable, then reads what is there.
// Returns an empty string with `closed` set at end of stream.
Result<std::string> ReceiveSome(int fd, bool& closed) {
  pollfd p{fd, POLLIN, 0};
  int ready = poll(&p, 1, 100);
  if (ready < 0 && errno != EINTR) {
    return Error::Unreachable("", std::string("poll: ") + std::strerror(errno));
  }
  if (ready <= 0) return std::string();
  char buf[16384];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return std::string();
  if (n < 0) return Error::Unreachable("", std::string("receive: ") + std::strerror(errno));
  closed = n == 0;
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

Result<HttpReply> ParseHttpReply(std::string_view raw) {
  size_t head_end = raw.find("\r\n\r\n");
  if (raw.substr(0, 5) != "HTTP/" || head_end == std::string_view::npos)
    return Error::Invalid("", "not an http reply");
  auto status = ParseStatusLine(raw);
  if (!status.ok()) return status.error();
  HttpReply reply;
  reply.status = *status;
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

namespace {

// Reads the reply head; `rest` gets the body bytes that came with it.
Result<std::unique_ptr<StreamBody>> ReadStreamHead(int fd, const LineHandler& on_line,
                                                   size_t max_line, std::stop_token& stop,
                                                   std::string& rest) {
  std::string raw;
  size_t head_end;
  while ((head_end = raw.find("\r\n\r\n")) == std::string::npos) {
    if (stop.stop_requested()) return std::unique_ptr<StreamBody>();
    if (raw.size() > 65536) return Error::Invalid("", "not an http reply");
    bool closed = false;
    auto some = ReceiveSome(fd, closed);
    if (!some.ok()) return some.error();
    if (closed) return Error::Unreachable("", "connection closed before the reply");
    raw += *some;
  }
  auto status = ParseStatusLine(raw);
  if (!status.ok()) return status.error();
  if (*status < 200 || *status > 299) {
    return Error::Invalid("", "http status " + std::to_string(*status));
  }
  std::string head = Lower(std::string_view(raw).substr(0, head_end));
  bool chunked = head.find("\r\ntransfer-encoding: chunked") != std::string::npos;
  rest = raw.substr(head_end + 4);
  return std::make_unique<StreamBody>(chunked, on_line, max_line);
}

}  // namespace

Status UnixHttpStreamLines(const std::string& socket_path, std::string_view target,
                           const LineHandler& on_line, std::stop_token stop, size_t max_line) {
  auto fd = Connect(socket_path, std::chrono::seconds(5));
  if (!fd.ok()) return fd.error();
  std::string request =
      "GET " + std::string(target) + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";
  if (auto s = SendAll(fd->get(), request); !s.ok()) return s.error();
  std::string data;
  auto body = ReadStreamHead(fd->get(), on_line, max_line, stop, data);
  if (!body.ok()) return body.error();
  if (*body == nullptr) return Status::Ok();  // stopped while waiting
  for (;;) {
    auto more = (*body)->Feed(data);
    if (!more.ok()) return more.error();
    if (!*more || stop.stop_requested()) return Status::Ok();
    bool closed = false;
    auto some = ReceiveSome(fd->get(), closed);
    if (!some.ok()) return some.error();
    if (closed) return Status::Ok();
    data = std::move(*some);
  }
}

}  // namespace baton
