#pragma once
// Just enough HTTP/1.1 over a unix socket to ask a lab dockerd for /_ping and
// to POST /images/load. (The runtime module owns the real Docker client; the
// lab stays independent of it so it can bring hosts up before anything else.)

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace baton::cli::lab {

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

}  // namespace baton::cli::lab
