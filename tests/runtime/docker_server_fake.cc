#include "docker_server_fake.h"

#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace baton::runtime::testing {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string StatusLine(const FakeResponse& r) {
  std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + r.reason + "\r\n";
  if (!r.content_type.empty()) head += "Content-Type: " + r.content_type + "\r\n";
  head += "Server: Docker/20.10.24 (linux)\r\n";
  return head;
}

std::string Chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

// Reads one HTTP request from a connection, buffering what arrives beyond it.
class RequestReader {
 public:
  RequestReader(int fd, const std::function<bool(int)>& wait) : fd_(fd), wait_(wait) {}

  std::optional<FakeRequest> Next() {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!Fill()) return std::nullopt;
    FakeRequest request = ParseHead(buffer_.substr(0, end));
    buffer_.erase(0, end + 4);
    bool ok = request.headers["transfer-encoding"] == "chunked" ? ReadChunked(request.body)
                                                                : ReadSized(request);
    if (!ok) return std::nullopt;
    return request;
  }

 private:
  bool Fill() {
    if (!wait_(fd_)) return false;
    char data[65536];
    ssize_t n = ::recv(fd_, data, sizeof data, 0);
    if (n <= 0) return false;
    buffer_.append(data, static_cast<std::size_t>(n));
    return true;
  }

  static FakeRequest ParseHead(const std::string& head) {
    FakeRequest request;
    std::size_t line_end = head.find("\r\n");
    std::string line = head.substr(0, line_end);
    std::size_t first = line.find(' '), second = line.rfind(' ');
    request.method = line.substr(0, first);
    request.target = line.substr(first + 1, second - first - 1);
    request.path = request.target.substr(0, request.target.find('?'));
    while (line_end != std::string::npos) {
      std::size_t next = head.find("\r\n", line_end + 2);
      std::string header = head.substr(line_end + 2, next - line_end - 2);
      std::size_t colon = header.find(':');
      if (colon != std::string::npos) {
        std::size_t value = header.find_first_not_of(' ', colon + 1);
        request.headers[Lower(header.substr(0, colon))] =
            value == std::string::npos ? "" : header.substr(value);
      }
      line_end = next;
    }
    return request;
  }

  bool ReadSized(FakeRequest& request) {
    std::size_t size = request.headers.contains("content-length")
                           ? std::stoul(request.headers["content-length"])
                           : 0;
    while (buffer_.size() < size)
      if (!Fill()) return false;
    request.body = buffer_.substr(0, size);
    buffer_.erase(0, size);
    return true;
  }

  bool ReadChunked(std::string& body) {
    for (;;) {
      std::size_t line_end;
      while ((line_end = buffer_.find("\r\n")) == std::string::npos)
        if (!Fill()) return false;
      std::size_t size = std::stoul(buffer_.substr(0, line_end), nullptr, 16);
      buffer_.erase(0, line_end + 2);
      while (buffer_.size() < size + 2)
        if (!Fill()) return false;
      body += buffer_.substr(0, size);
      buffer_.erase(0, size + 2);
      if (size == 0) return true;
    }
  }

  int fd_;
  std::function<bool(int)> wait_;
  std::string buffer_;
};

}  // namespace

FakeResponse DockerError(int status, std::string reason, const std::string& message) {
  FakeResponse r;
  r.status = status;
  r.reason = std::move(reason);
  r.body = nlohmann::json{{"message", message}}.dump();
  return r;
}

FakeResponse JsonResponse(std::string json) {
  FakeResponse r;
  r.body = std::move(json);
  return r;
}

std::string Frame(int stream, const std::string& payload) {
  std::string frame(8, '\0');
  frame[0] = static_cast<char>(stream);
  auto size = static_cast<std::uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) frame[4 + i] = static_cast<char>((size >> (24 - 8 * i)) & 0xFF);
  return frame + payload;
}

FakeDockerServer::FakeDockerServer(std::string api_version, std::string min_api) {
  char dir[] = "/tmp/baton-docker-XXXXXX";
  if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = dir;
  socket_path_ = dir_ + "/docker.sock";
  if (::pipe(wake_pipe_) != 0) throw std::runtime_error("pipe failed");
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket_path_.c_str(), sizeof address.sun_path - 1);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 16) != 0)
    throw std::runtime_error("cannot listen on " + socket_path_);

  FakeResponse pong;
  pong.content_type = "text/plain; charset=utf-8";
  pong.body = "OK";
  On("GET", "/_ping", pong);
  On("GET", "/version",
     JsonResponse(nlohmann::json{{"Version", "20.10.24"},
                                 {"ApiVersion", api_version},
                                 {"MinAPIVersion", min_api},
                                 {"Os", "linux"},
                                 {"Arch", "amd64"},
                                 {"KernelVersion", "6.1.0-13-amd64"}}
                      .dump()));
  acceptor_ = std::thread([this] { Accept(); });
}

FakeDockerServer::~FakeDockerServer() {
  char wake = 'x';
  (void)!::write(wake_pipe_[1], &wake, 1);
  acceptor_.join();
  std::vector<std::thread> connections;
  {
    std::lock_guard<std::mutex> lock(mu_);
    connections.swap(connections_);
  }
  for (std::thread& t : connections) t.join();
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
  ::unlink(socket_path_.c_str());
  ::rmdir(dir_.c_str());
}

DockerOptions FakeDockerServer::Options() const {
  DockerOptions options;
  options.host = "lab1";
  options.socket_path = socket_path_;
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.call_timeout = std::chrono::milliseconds(2000);
  return options;
}

void FakeDockerServer::On(const std::string& method, const std::string& path,
                          FakeResponse response) {
  std::lock_guard<std::mutex> lock(mu_);
  routes_[{method, path}] = std::move(response);
}

std::vector<FakeRequest> FakeDockerServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

int FakeDockerServer::connection_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return connection_count_;
}

std::optional<FakeRequest> FakeDockerServer::Last(const std::string& method,
                                                  const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = requests_.rbegin(); it != requests_.rend(); ++it)
    if (it->method == method && it->path == path) return *it;
  return std::nullopt;
}

bool FakeDockerServer::WaitReadable(int fd) const {
  pollfd fds[2] = {{fd, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) return false;
    if (fds[1].revents != 0) return false;
    if (fds[0].revents != 0) return true;
  }
}

void FakeDockerServer::Accept() {
  while (WaitReadable(listen_fd_)) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    ++connection_count_;
    connections_.emplace_back([this, fd] { Serve(fd); });
  }
}

void FakeDockerServer::Serve(int fd) {
  RequestReader reader(fd, [this](int f) { return WaitReadable(f); });
  while (std::optional<FakeRequest> request = reader.Next()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(*request);
    }
    if (!Answer(fd, *request)) break;
  }
  ::close(fd);
}

bool FakeDockerServer::Answer(int fd, const FakeRequest& request) {
  FakeResponse r = DockerError(404, "Not Found", "page not found");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = routes_.find({request.method, request.path}); it != routes_.end()) r = it->second;
  }
  // Until the client hangs up or the server stops: what hang and hold_open mean.
  auto wait_for_close = [&] {
    char scratch[4096];
    while (WaitReadable(fd) && ::recv(fd, scratch, sizeof scratch, 0) > 0) {
    }
    return false;
  };
  if (r.hang) return wait_for_close();
  if (r.close_delimited) {
    WriteAll(fd, StatusLine(r) + "\r\n" + r.body);
    return false;
  }
  if (r.chunks.empty())
    return WriteAll(fd, StatusLine(r) + "Content-Length: " + std::to_string(r.body.size()) +
                            "\r\n\r\n" + r.body);
  if (!WriteAll(fd, StatusLine(r) + "Transfer-Encoding: chunked\r\n\r\n")) return false;
  for (const std::string& chunk : r.chunks) {
    pollfd wake = {wake_pipe_[0], POLLIN, 0};
    if (r.chunk_delay.count() > 0 && ::poll(&wake, 1, static_cast<int>(r.chunk_delay.count())) != 0)
      return false;
    if (!WriteAll(fd, Chunk(chunk))) return false;
  }
  if (r.hold_open) return wait_for_close();
  return WriteAll(fd, "0\r\n\r\n");
}

}  // namespace baton::runtime::testing
