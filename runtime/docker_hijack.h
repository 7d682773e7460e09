#pragma once
// One HTTP/1.1 request whose connection the engine then takes over
// ("hijacks"): POST /exec/{id}/start answers with a response head and
// afterwards carries raw bytes both ways on the same socket, the command's
// input one way and its output the other. libcurl cannot hand such a
// connection back for use in both directions, so this is a small HTTP client
// on a unix socket, for these calls only.
//
// Threads: a connection is used by one thread at a time.

#include <string>

#include "base/result.h"
#include "base/unique_fd.h"
#include "runtime/docker_http.h"

namespace baton::runtime {

class HijackedConnection {
 public:
  // Connects to options.socket_path (within options.connect_timeout), sends
  // `request` (method, target, content type and body; `upload`, `on_chunk`
  // and `stop` are not used) with "Connection: Upgrade" and "Upgrade: tcp",
  // and reads the response head within request.timeout (unset:
  // options.call_timeout; zero: no limit). Ok for 101 Switching Protocols,
  // and for 200, after which engines that do not upgrade stream on just the
  // same. Other statuses fail through ResponseError with the engine's
  // message; a socket that cannot be connected, or that answers nothing in
  // time, is kUnreachable; an answer that is not HTTP is kInternal
  // "malformed response: ...". Errors are at "host NAME" (options.host) and
  // do not name the call: the caller adds that.
  static Result<HijackedConnection> Open(const DockerOptions& options, const HttpRequest& request);

  // The socket, non-blocking, for poll(), read() and write(). Stays owned by
  // the connection.
  int fd() const { return fd_.get(); }
  // Bytes of the raw stream that arrived together with the response head:
  // they come before anything read from fd(). Empties the buffer.
  std::string TakeEarlyBytes();
  // Tells the engine that no more input follows (shutdown(SHUT_WR)); the
  // command sees end of file on its stdin. Output can still be read.
  Status CloseWrite();
  // "host NAME", for errors about this connection.
  const std::string& where() const { return where_; }

 private:
  HijackedConnection(UniqueFd fd, std::string early, std::string where)
      : fd_(std::move(fd)), early_(std::move(early)), where_(std::move(where)) {}

  UniqueFd fd_;
  std::string early_;
  std::string where_;
};

}  // namespace baton::runtime
