#pragma once
// A fake engine on a temporary unix socket for the calls whose connection is
// taken over (exec start): ordinary requests get canned answers with a
// Content-Length on a kept-alive connection, as libcurl expects; a "raw"
// route writes its bytes as they are (a 101 head, a refusal, garbage) and
// then hands the socket to a session function that plays the command.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/docker_http.h"

namespace baton::runtime::testing {

struct HijackRequest {
  std::string method;
  std::string target;  // path and query
  std::string head;    // the request line and headers as sent
  std::string body;
};

class FakeHijackEngine {
 public:
  // Plays the command on the taken-over socket; the engine closes it after.
  using Session = std::function<void(int fd)>;

  // Answers /_ping and /version like Docker 20.10 (API 1.41).
  FakeHijackEngine();
  ~FakeHijackEngine();
  FakeHijackEngine(const FakeHijackEngine&) = delete;
  FakeHijackEngine& operator=(const FakeHijackEngine&) = delete;

  const std::string& socket_path() const { return socket_path_; }
  // Options for host "lab1" with short timeouts.
  DockerOptions Options() const;

  // Answers `method` `path` (no query) with `status` and a JSON `body`.
  void On(const std::string& method, const std::string& path, int status, const std::string& body);
  // Writes `bytes` as they are, then runs `session` (if any), then closes.
  void OnRaw(const std::string& method, const std::string& path, std::string bytes,
             Session session = {});
  std::vector<HijackRequest> requests() const;
  // The last request for method and path (no query).
  std::optional<HijackRequest> Last(const std::string& method, const std::string& path) const;

 private:
  struct Route {
    int status = 200;
    std::string body;
    bool raw = false;
    std::string bytes;
    Session session;
  };
  void Accept();
  void Serve(int fd);

  std::string dir_;
  std::string socket_path_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  mutable std::mutex mu_;
  std::map<std::string, Route> routes_;   // by "METHOD path"; guarded by mu_
  std::vector<HijackRequest> requests_;   // guarded by mu_
  std::vector<int> open_fds_;             // guarded by mu_
  std::vector<std::thread> connections_;  // guarded by mu_
  std::thread acceptor_;
};

// The 101 head Docker sends before the raw stream.
inline constexpr const char* kUpgradedHead =
    "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
    "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

// Reads from `fd` until end of file.
std::string ReadToEnd(int fd);
// Writes all of `data` to `fd`.
void WriteAll(int fd, const std::string& data);

}  // namespace baton::runtime::testing
