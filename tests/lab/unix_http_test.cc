#include <catch2/catch.hpp>

#include "base/unix_http.h"

namespace baton {
namespace {

TEST_CASE("unix http: plain reply", "[lab][http]") {
  auto reply = ParseHttpReply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK");
  REQUIRE(reply.ok());
  CHECK(reply->status == 200);
  CHECK(reply->body == "OK");
}

TEST_CASE("unix http: chunked reply is joined", "[lab][http]") {
  auto reply = ParseHttpReply(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\n{\"a\":\r\n3\r\n1}\n\r\n0\r\n\r\n");
  REQUIRE(reply.ok());
  CHECK(reply->body == "{\"a\":1}\n");
}

TEST_CASE("unix http: error status is a reply, not an error", "[lab][http]") {
  auto reply = ParseHttpReply("HTTP/1.1 404 Not Found\r\n\r\nno such image");
  REQUIRE(reply.ok());
  CHECK(reply->status == 404);
}

TEST_CASE("unix http: text that is not http is rejected", "[lab][http]") {
  auto reply = ParseHttpReply("SSH-2.0-OpenSSH\r\n");
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.error().ToString() == "not an http reply");
}

TEST_CASE("unix http: truncated chunk is rejected", "[lab][http]") {
  auto reply = ParseHttpReply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc");
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.error().ToString() == "truncated chunked body");
}

TEST_CASE("unix http: missing socket is unreachable", "[lab][http]") {
  auto reply = UnixHttpRequest("/nonexistent/docker.sock", "GET", "/_ping", "", "",
                               std::chrono::seconds(1));
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.error().kind == Error::Kind::kUnreachable);
  CHECK(reply.error().ToString() ==
        "connect /nonexistent/docker.sock: No such file or directory");
}

}  // namespace
}  // namespace baton
