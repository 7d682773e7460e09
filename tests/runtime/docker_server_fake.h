#pragma once
// A tiny HTTP/1.1 server on a temporary unix socket that answers with canned,
// Docker-shaped responses. The real engine only runs in the lab; this is for
// the protocol handling that needs a real socket: status mapping, version
// negotiation, chunked and close-delimited streams, timeouts, bad JSON.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "runtime/docker_http.h"

namespace baton::runtime::testing {

struct FakeRequest {
  std::string method;
  std::string target;                          // path and query as sent
  std::string path;                            // target without the query
  std::map<std::string, std::string> headers;  // names lower case
  std::string body;                            // de-chunked
};

struct FakeResponse {
  int status = 200;
  std::string reason = "OK";
  std::string content_type = "application/json";
  std::string body;  // sent with a Content-Length
  // When not empty: sent with chunked encoding, one chunk at a time, waiting
  // `chunk_delay` before each; `body` is ignored.
  std::vector<std::string> chunks;
  std::chrono::milliseconds chunk_delay{0};
  bool hang = false;             // read the request, then answer nothing
  bool hold_open = false;        // after the chunks, neither end nor close the stream
  bool close_delimited = false;  // body without length, then close (Docker's exec start)
};

// Docker's error shape: {"message": text}.
FakeResponse DockerError(int status, std::string reason, const std::string& message);
// A 200 with `json` as body.
FakeResponse JsonResponse(std::string json);
// A stdout/stderr multiplexed frame as Docker sends for containers without a TTY.
std::string Frame(int stream, const std::string& payload);

class FakeDockerServer {
 public:
  // Listens at once on a socket in a fresh temporary directory and answers
  // /_ping and /version like an engine of `api_version` (e.g. "1.41").
  explicit FakeDockerServer(std::string api_version = "1.41", std::string min_api = "1.12");
  ~FakeDockerServer();
  FakeDockerServer(const FakeDockerServer&) = delete;
  FakeDockerServer& operator=(const FakeDockerServer&) = delete;

  const std::string& socket_path() const { return socket_path_; }
  // Options for a client of this server as host "lab1", with short timeouts.
  DockerOptions Options() const;

  // Answers requests for `method` and `path` (no query) with `response`.
  // Unmatched requests get 404 {"message": "page not found"}.
  void On(const std::string& method, const std::string& path, FakeResponse response);
  // Every request received so far, in order.
  std::vector<FakeRequest> requests() const;
  // How many connections clients opened so far.
  int connection_count() const;
  // The last request for method and path, if any.
  std::optional<FakeRequest> Last(const std::string& method, const std::string& path) const;

 private:
  void Accept();
  void Serve(int fd);
  bool Answer(int fd, const FakeRequest& request);
  // Waits until `fd` is readable or the server stops. False when stopping.
  bool WaitReadable(int fd) const;

  std::string dir_;
  std::string socket_path_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};  // written once on shutdown; every poll watches it

  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, FakeResponse> routes_;  // guarded by mu_
  std::vector<FakeRequest> requests_;                                   // guarded by mu_
  std::vector<std::thread> connections_;                                // guarded by mu_
  int connection_count_ = 0;                                            // guarded by mu_
  std::thread acceptor_;
};

}  // namespace baton::runtime::testing
