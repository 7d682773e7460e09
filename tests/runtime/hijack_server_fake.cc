#include "hijack_server_fake.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace baton::runtime::testing {
namespace {

// Reads one request (head and Content-Length body); nullopt at end of stream.
std::optional<HijackRequest> ReadRequest(int fd, std::string& buffer) {
  std::size_t head_end;
  char chunk[4096];
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  HijackRequest request;
  request.head = buffer.substr(0, head_end);
  std::size_t space = request.head.find(' ');
  request.method = request.head.substr(0, space);
  request.target = request.head.substr(space + 1, request.head.find(' ', space + 1) - space - 1);
  std::size_t length = 0;
  std::size_t at = request.head.find("Content-Length: ");
  if (at == std::string::npos) at = request.head.find("content-length: ");
  if (at != std::string::npos) length = std::strtoul(request.head.c_str() + at + 16, nullptr, 10);
  while (buffer.size() < head_end + 4 + length) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  request.body = buffer.substr(head_end + 4, length);
  buffer.erase(0, head_end + 4 + length);
  return request;
}

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 404: return "Not Found";
    case 409: return "Conflict";
    default: return "Internal Server Error";
  }
}

std::string PathOf(const std::string& target) { return target.substr(0, target.find('?')); }

}  // namespace

std::string ReadToEnd(int fd) {
  std::string all;
  char chunk[4096];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0) {
      all.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, 5000);
      continue;
    }
    return all;
  }
}

void WriteAll(int fd, const std::string& data) {
  std::size_t at = 0;
  while (at < data.size()) {
    ssize_t n = ::send(fd, data.data() + at, data.size() - at, MSG_NOSIGNAL);
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 5000);
      continue;
    }
    if (n <= 0) return;
    at += static_cast<std::size_t>(n);
  }
}

FakeHijackEngine::FakeHijackEngine() {
  char dir[] = "/tmp/baton-hijack-XXXXXX";
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
  On("GET", "/_ping", 200, "OK");
  On("GET", "/version", 200,
     R"({"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux",)"
     R"("Arch":"amd64"})");
  acceptor_ = std::thread([this] { Accept(); });
}

FakeHijackEngine::~FakeHijackEngine() {
  char wake = 'x';
  (void)!::write(wake_pipe_[1], &wake, 1);
  acceptor_.join();
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(mu_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);  // unblocks their reads
    connections = std::move(connections_);
  }
  for (std::thread& t : connections) t.join();
  for (int fd : open_fds_) ::close(fd);
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
  std::filesystem::remove_all(dir_);
}

DockerOptions FakeHijackEngine::Options() const {
  DockerOptions options;
  options.host = "lab1";
  options.socket_path = socket_path_;
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.call_timeout = std::chrono::milliseconds(2000);
  return options;
}

void FakeHijackEngine::On(const std::string& method, const std::string& path, int status,
                          const std::string& body) {
  std::lock_guard lock(mu_);
  routes_[method + " " + path] = Route{status, body, false, "", {}};
}

void FakeHijackEngine::OnRaw(const std::string& method, const std::string& path,
                             std::string bytes, Session session) {
  std::lock_guard lock(mu_);
  routes_[method + " " + path] = Route{0, "", true, std::move(bytes), std::move(session)};
}

std::vector<HijackRequest> FakeHijackEngine::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::optional<HijackRequest> FakeHijackEngine::Last(const std::string& method,
                                                    const std::string& path) const {
  std::lock_guard lock(mu_);
  for (auto it = requests_.rbegin(); it != requests_.rend(); ++it)
    if (it->method == method && PathOf(it->target) == path) return *it;
  return std::nullopt;
}

void FakeHijackEngine::Accept() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) return;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mu_);
    open_fds_.push_back(fd);
    connections_.emplace_back([this, fd] { Serve(fd); });
  }
}

void FakeHijackEngine::Serve(int fd) {
  std::string buffer;
  while (std::optional<HijackRequest> request = ReadRequest(fd, buffer)) {
    std::string key = request->method + " " + PathOf(request->target);
    Route route{404, R"({"message":"page not found"})", false, "", {}};
    {
      std::lock_guard lock(mu_);
      requests_.push_back(*request);
      if (auto found = routes_.find(key); found != routes_.end()) route = found->second;
    }
    if (route.raw) {
      WriteAll(fd, route.bytes);
      if (route.session) route.session(fd);
      break;
    }
    std::string head = "HTTP/1.1 " + std::to_string(route.status) + " " +
                       Reason(route.status) +
                       "\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\n"
                       "Content-Length: " + std::to_string(route.body.size()) + "\r\n\r\n";
    WriteAll(fd, head + route.body);
  }
  // Shut down rather than close: the descriptor number stays taken until the
  // destructor, so it cannot be reused and shut down by mistake.
  ::shutdown(fd, SHUT_RDWR);
}

}  // namespace baton::runtime::testing
