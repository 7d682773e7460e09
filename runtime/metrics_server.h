#pragma once
// The watcher's metrics endpoint: a tiny HTTP/1.1 server (plain POSIX
// sockets, no library) that answers GET /metrics with the registry and the
// process metrics (text/plain; version=0.0.4), 404 for any other path, 405
// for other methods, and closes each connection after one answer.
//
// Threads: one thread accepts and answers, one request at a time (a
// scraper every few seconds is the only client); a client that sends
// nothing is dropped after 2 s. The destructor stops and joins it.

#include <cstdint>
#include <memory>
#include <string>
#include <stop_token>
#include <thread>

#include "base/result.h"
#include "base/unique_fd.h"

namespace baton::runtime {

class MetricsRegistry;

class MetricsServer {
 public:
  // Listens on `address`, "IPV4:PORT" ("127.0.0.1:9479"; port 0 picks a free
  // one, see port()). kInvalid "metrics address \"x\": ..." for a malformed
  // address; kUnreachable "listen on 127.0.0.1:9479: Address already in use"
  // when binding fails. `registry` must outlive the server.
  static Result<std::unique_ptr<MetricsServer>> Start(const std::string& address,
                                                      const MetricsRegistry& registry);

  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  ~MetricsServer();

  uint16_t port() const { return port_; }

 private:
  MetricsServer(UniqueFd listener, UniqueFd wake, uint16_t port, const MetricsRegistry& registry);
  void Serve(std::stop_token stop);
  void Answer(int client);

  UniqueFd listener_;
  UniqueFd wake_;  // eventfd: written by the destructor to end poll()
  const uint16_t port_;
  const MetricsRegistry& registry_;
  std::jthread worker_;  // declared last, so it is joined first
};

}  // namespace baton::runtime
