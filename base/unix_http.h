#pragma once
// Just enough HTTP/1.1 over a unix socket to talk to a Docker engine without
// curl: the lab asks its dockerds for /_ping and POSTs /images/load, and the
// statically linked network helper (netd) reads its engine's networks and
// containers and follows /events. (The runtime module owns the real Docker
// client.)

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "base/result.h"

namespace baton {

struct HttpReply {
  int status = 0;
  std::string body;  // de-chunked
};

// Sends one request on a fresh connection ("Connection: close") and reads the
// whole reply. kUnreachable when the socket cannot be reached or the exchange
// exceeds `timeout`; kInvalid when the reply is not HTTP. A non-2xx status is
// not an error here.
Result<HttpReply> UnixHttpRequest(const std::string& socket_path, std::string_view method,
                                  std::string_view target, std::string_view content_type,
                                  std::string_view body, std::chrono::milliseconds timeout);

// Parses a complete HTTP/1.x reply, undoing chunked transfer encoding.
Result<HttpReply> ParseHttpReply(std::string_view raw);

// Receives one line of a streamed body, without its '\n'. Returning false
// ends the stream.
using LineHandler = std::function<bool(std::string_view line)>;

// GETs `target` and hands each line of the (de-chunked) body to `on_line` as
// it arrives, for replies that never end on their own, such as /events.
// Returns Ok when the server closes the stream, `on_line` returns false, or
// `stop` is requested (noticed within 100 ms, also while nothing arrives).
// kUnreachable when the socket cannot be reached or the connection fails;
// kInvalid for a reply that is not HTTP, a non-2xx status (with its body) or
// a line longer than `max_line`.
Status UnixHttpStreamLines(const std::string& socket_path, std::string_view target,
                           const LineHandler& on_line, std::stop_token stop,
                           size_t max_line = 1 << 20);

}  // namespace baton
