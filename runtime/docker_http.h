#pragma once
// One HTTP/1.1 exchange with a Docker engine over a unix socket (libcurl).
// Remote engines are reached the same way: transport/ exposes the remote
// socket as a local one, so this layer only ever sees a socket path.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace baton::runtime {

// Where an engine is and how long to wait for it.
struct DockerOptions {
  std::string host;         // names the host in errors ("host lab1"); may be empty
  std::string socket_path;  // a local unix socket speaking the Docker API
  std::chrono::milliseconds connect_timeout{5000};
  // Limit for a whole ordinary call. Streaming calls have none (see HttpRequest::timeout).
  std::chrono::milliseconds call_timeout{30000};
};

// Receives a response body piece by piece as it arrives. Returning false
// ends the transfer early; that is a normal outcome, not an error.
using ChunkSink = std::function<bool(std::string_view chunk)>;

// Fills `buffer` with the next bytes of a request body and returns how many
// it wrote; 0 means the body is complete. An Error aborts the request and is
// returned by Send unchanged.
using BodyReader = std::function<Result<std::size_t>(std::span<char> buffer)>;

struct HttpRequest {
  std::string method = "GET";
  std::string target;        // path and query: "/v1.41/containers/json?all=1"
  std::string content_type;  // sent as Content-Type when not empty
  std::string body;          // sent as is with a Content-Length
  // When set, the body is streamed from here with chunked encoding and `body` is ignored.
  BodyReader upload;
  // When set, a 2xx body goes here and HttpResponse::body stays empty. Error
  // bodies (status >= 300) are always collected in HttpResponse::body.
  ChunkSink on_chunk;
  // Unset: DockerOptions::call_timeout. Zero: no limit (streams; end them
  // with `stop` or by returning false from on_chunk).
  std::optional<std::chrono::milliseconds> timeout;
  // Checked about once a second even while no data arrives; a requested stop
  // ends the transfer like on_chunk returning false.
  std::stop_token stop;
};

struct HttpResponse {
  long status = 0;
  std::string reason;                          // "Conflict"; "" if the server sent none
  std::map<std::string, std::string> headers;  // names lower case: "api-version"
  std::string body;                            // unless streamed to on_chunk
  bool stopped = false;                        // on_chunk or `stop` ended it early
};

// A body larger than this (when collected, not streamed) fails with kInternal
// rather than exhausting memory on a broken or hostile server.
constexpr std::size_t kMaxBodyBytes = 64 << 20;

// Turns a non-2xx response into an Error at `where`: 404 kNotFound, 409 and
// 403 kConflict (Docker answers 403 for operations the object's current
// state forbids), other 4xx kInvalid, anything else kInternal. The message is
// "STATUS REASON: DOCKER'S MESSAGE" with Docker's {"message": ...} verbatim.
Error ResponseError(const std::string& where, const HttpResponse& response);

namespace detail {
struct CurlHandleFree {
  void operator()(void* handle) const;
};
}  // namespace detail

// Sends requests to one socket. Thread-safe: each Send borrows an idle libcurl
// handle (or makes one) and returns it afterwards, so calls on several
// threads run in parallel and sequential calls reuse their connection.
class DockerHttp {
 public:
  explicit DockerHttp(DockerOptions options);
  DockerHttp(const DockerHttp&) = delete;
  DockerHttp& operator=(const DockerHttp&) = delete;

  const DockerOptions& options() const { return options_; }
  // "host NAME", or "" when no host name was given: the `where` of every error.
  const std::string& where() const { return where_; }

  // Sends `request` and waits for the whole response (or its end, when
  // streamed). Any HTTP status is a success here: mapping statuses to errors
  // is the caller's (see ResponseError). Fails with kUnreachable when the
  // socket cannot be connected, the connection breaks or the timeout passes,
  // naming the socket path and curl's reason; with the reader's own error when
  // `upload` fails; kInternal for oversized bodies and curl misuse.
  Result<HttpResponse> Send(const HttpRequest& request);

 private:
  using CurlPtr = std::unique_ptr<void, detail::CurlHandleFree>;
  CurlPtr Borrow();
  void Return(CurlPtr handle);

  const DockerOptions options_;
  const std::string where_;
  std::mutex mu_;
  std::vector<CurlPtr> idle_;  // guarded by mu_
};

}  // namespace baton::runtime
