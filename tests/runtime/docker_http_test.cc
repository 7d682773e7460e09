#include "runtime/docker_http.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using testing::DockerError;
using testing::FakeDockerServer;
using testing::FakeResponse;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

HttpRequest Get(std::string target) {
  HttpRequest request;
  request.target = std::move(target);
  return request;
}

FakeResponse Stream(std::vector<std::string> chunks, bool hold_open) {
  FakeResponse r;
  r.chunks = std::move(chunks);
  r.hold_open = hold_open;
  return r;
}

TEST_CASE("docker http: a socket nobody listens on is unreachable and named",
          "[runtime][docker][http]") {
  DockerOptions options;
  options.host = "lab1";
  options.socket_path = "/tmp/baton-no-such-dir/docker.sock";
  DockerHttp http(options);
  Result<HttpResponse> r = http.Send(Get("/_ping"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kUnreachable);
  CHECK(r.error().ToString() ==
        "host lab1: docker socket /tmp/baton-no-such-dir/docker.sock: couldn't connect to server "
        "(no such file or directory)");
}

TEST_CASE("docker http: an empty socket path is refused before any connection",
          "[runtime][docker][http]") {
  DockerOptions options;
  options.host = "lab1";
  DockerHttp http(options);
  Result<HttpResponse> r = http.Send(Get("/_ping"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kInvalid);
  CHECK(r.error().ToString() == "host lab1: no docker socket path given");
}

TEST_CASE("docker http: a server that never answers fails within the call timeout",
          "[runtime][docker][http]") {
  FakeDockerServer server;
  FakeResponse silent;
  silent.hang = true;
  server.On("GET", "/_ping", silent);
  DockerOptions options = server.Options();
  options.call_timeout = milliseconds(300);
  DockerHttp http(options);
  auto start = Clock::now();
  Result<HttpResponse> r = http.Send(Get("/_ping"));
  auto elapsed = Clock::now() - start;
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kUnreachable);
  CHECK(r.error().ToString() == "host lab1: docker socket " + server.socket_path() +
                                    ": timeout was reached (no complete response within 300 ms)");
  CHECK(elapsed >= milliseconds(250));  // libcurl rounds its timers
  CHECK(elapsed < milliseconds(1500));
}

TEST_CASE("docker http: error statuses map to kinds and keep docker's message",
          "[runtime][docker][http]") {
  struct Case {
    int status;
    const char* reason;
    Error::Kind kind;
  };
  Case c = GENERATE(Case{404, "Not Found", Error::Kind::kNotFound},
                    Case{409, "Conflict", Error::Kind::kConflict},
                    Case{403, "Forbidden", Error::Kind::kConflict},
                    Case{400, "Bad Request", Error::Kind::kInvalid},
                    Case{500, "Internal Server Error", Error::Kind::kInternal},
                    Case{503, "Service Unavailable", Error::Kind::kInternal});
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/create",
            DockerError(c.status, c.reason, "Conflict. The container name \"/web-1\" is in use"));
  DockerHttp http(server.Options());
  HttpRequest request = Get("/v1.41/containers/create?name=web-1");
  request.method = "POST";
  Result<HttpResponse> r = http.Send(request);
  REQUIRE(r.ok());
  Error e = ResponseError(http.where(), *r);
  CHECK(e.kind == c.kind);
  CHECK(e.ToString() == "host lab1: " + std::to_string(c.status) + " " + c.reason +
                            ": Conflict. The container name \"/web-1\" is in use");
}

TEST_CASE("docker http: an error body that is not docker's json is quoted as text",
          "[runtime][docker][http]") {
  FakeDockerServer server;
  FakeResponse proxy;
  proxy.status = 502;
  proxy.reason = "Bad Gateway";
  proxy.content_type = "text/plain";
  proxy.body = "upstream down\n";
  server.On("GET", "/_ping", proxy);
  DockerHttp http(server.Options());
  Result<HttpResponse> r = http.Send(Get("/_ping"));
  REQUIRE(r.ok());
  CHECK(ResponseError(http.where(), *r).ToString() == "host lab1: 502 Bad Gateway: upstream down");
}

TEST_CASE("docker http: a chunked body reaches the sink in order and not the response",
          "[runtime][docker][http]") {
  FakeDockerServer server;
  FakeResponse stream = Stream({"one ", "two ", "three"}, false);
  stream.chunk_delay = milliseconds(20);
  server.On("GET", "/events", stream);
  DockerHttp http(server.Options());
  HttpRequest request = Get("/events");
  std::string seen;
  int pieces = 0;
  request.on_chunk = [&](std::string_view chunk) {
    seen += chunk;
    ++pieces;
    return true;
  };
  Result<HttpResponse> r = http.Send(request);
  REQUIRE(r.ok());
  CHECK(seen == "one two three");
  CHECK(pieces == 3);
  CHECK(r->body.empty());
  CHECK_FALSE(r->stopped);
}

TEST_CASE("docker http: a sink returning false ends an endless stream without error",
          "[runtime][docker][http]") {
  FakeDockerServer server;
  server.On("GET", "/events", Stream({"first\n"}, true));
  DockerHttp http(server.Options());
  HttpRequest request = Get("/events");
  request.timeout = milliseconds(0);
  request.on_chunk = [](std::string_view) { return false; };
  Result<HttpResponse> r = http.Send(request);
  REQUIRE(r.ok());
  CHECK(r->stopped);
}

TEST_CASE("docker http: a stop request ends an idle stream promptly", "[runtime][docker][http]") {
  FakeDockerServer server;
  server.On("GET", "/events", Stream({"{}\n"}, true));
  DockerHttp http(server.Options());
  std::stop_source stop;
  HttpRequest request = Get("/events");
  request.timeout = milliseconds(0);
  request.stop = stop.get_token();
  request.on_chunk = [](std::string_view) { return true; };
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(200));
    stop.request_stop();
  });
  auto start = Clock::now();
  Result<HttpResponse> r = http.Send(request);
  auto elapsed = Clock::now() - start;
  stopper.join();
  REQUIRE(r.ok());
  CHECK(r->stopped);
  CHECK(elapsed < milliseconds(2500));
}

TEST_CASE("docker http: an error status on a streamed call is collected, not streamed",
          "[runtime][docker][http]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/containers/gone/logs",
            DockerError(404, "Not Found", "No such container: gone"));
  DockerHttp http(server.Options());
  HttpRequest request = Get("/v1.41/containers/gone/logs");
  bool streamed = false;
  request.on_chunk = [&](std::string_view) { return streamed = true; };
  Result<HttpResponse> r = http.Send(request);
  REQUIRE(r.ok());
  CHECK_FALSE(streamed);
  CHECK(ResponseError(http.where(), *r).ToString() ==
        "host lab1: 404 Not Found: No such container: gone");
}

TEST_CASE("docker http: an upload is streamed from the reader with chunked encoding",
          "[runtime][docker][http]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/images/load", testing::JsonResponse("{}"));
  DockerHttp http(server.Options());
  std::vector<std::string> pieces = {"tar-", "bytes-", "here"};
  std::size_t next = 0;
  HttpRequest request = Get("/v1.41/images/load");
  request.method = "POST";
  request.content_type = "application/x-tar";
  request.upload = [&](std::span<char> buffer) -> Result<std::size_t> {
    if (next == pieces.size()) return std::size_t{0};
    const std::string& piece = pieces[next++];
    std::copy(piece.begin(), piece.end(), buffer.begin());
    return piece.size();
  };
  Result<HttpResponse> r = http.Send(request);
  REQUIRE(r.ok());
  auto seen = server.Last("POST", "/v1.41/images/load");
  REQUIRE(seen);
  CHECK(seen->body == "tar-bytes-here");
  CHECK(seen->headers["transfer-encoding"] == "chunked");
  CHECK(seen->headers["content-type"] == "application/x-tar");
}

TEST_CASE("docker http: a failing upload reader's error is returned unchanged",
          "[runtime][docker][http]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/images/load", testing::JsonResponse("{}"));
  DockerHttp http(server.Options());
  HttpRequest request = Get("/v1.41/images/load");
  request.method = "POST";
  request.upload = [](std::span<char>) -> Result<std::size_t> {
    return Error::Invalid("image.tar", "read failed: input/output error");
  };
  Result<HttpResponse> r = http.Send(request);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kInvalid);
  CHECK(r.error().ToString() == "image.tar: read failed: input/output error");
}

TEST_CASE("docker http: sequential calls reuse one connection", "[runtime][docker][http]") {
  FakeDockerServer server;
  DockerHttp http(server.Options());
  for (int i = 0; i < 5; ++i) {
    Result<HttpResponse> r = http.Send(Get("/_ping"));
    REQUIRE(r.ok());
    CHECK(r->status == 200);
    CHECK(r->body == "OK");
  }
  CHECK(server.connection_count() == 1);
}

TEST_CASE("docker http: calls from several threads at once all succeed",
          "[runtime][docker][http]") {
  FakeDockerServer server;
  DockerHttp http(server.Options());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        if (Result<HttpResponse> r = http.Send(Get("/_ping")); r.ok() && r->body == "OK") ++ok;
    });
  for (std::thread& t : threads) t.join();
  CHECK(ok == 40);
}

TEST_CASE("docker http: the response reason and headers are read", "[runtime][docker][http]") {
  FakeDockerServer server;
  DockerHttp http(server.Options());
  Result<HttpResponse> r = http.Send(Get("/_ping"));
  REQUIRE(r.ok());
  CHECK(r->reason == "OK");
  CHECK(r->headers["content-type"] == "text/plain; charset=utf-8");
  CHECK(r->headers["server"] == "Docker/20.10.24 (linux)");
}

}  // namespace
}  // namespace baton::runtime
