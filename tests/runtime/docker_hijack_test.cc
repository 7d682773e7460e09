#include "runtime/docker_hijack.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <nlohmann/json.hpp>

#include "hijack_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using testing::FakeHijackEngine;
using testing::kUpgradedHead;
using testing::ReadToEnd;
using testing::WriteAll;

HttpRequest StartRequest() {
  HttpRequest request;
  request.method = "POST";
  request.target = "/v1.41/exec/abc/start";
  request.content_type = "application/json";
  request.body = R"({"Detach":false,"Tty":false})";
  return request;
}

// Plays `cat | tr a-z A-Z`: echoes the input upper-cased once it ends.
void UpperEcho(int fd) {
  std::string input = ReadToEnd(fd);
  std::transform(input.begin(), input.end(), input.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  WriteAll(fd, input);
}

TEST_CASE("docker hijack: the start request asks to upgrade the connection",
          "[runtime][docker][hijack]") {
  FakeHijackEngine engine;
  engine.OnRaw("POST", "/v1.41/exec/abc/start", kUpgradedHead);
  Result<HijackedConnection> connection = HijackedConnection::Open(engine.Options(), StartRequest());
  REQUIRE(connection.ok());
  auto request = engine.Last("POST", "/v1.41/exec/abc/start");
  REQUIRE(request);
  CHECK(request->head.starts_with("POST /v1.41/exec/abc/start HTTP/1.1\r\n"));
  CHECK(request->head.find("\r\nConnection: Upgrade\r\n") != std::string::npos);
  CHECK(request->head.find("\r\nUpgrade: tcp") != std::string::npos);
  CHECK(request->head.find("\r\nContent-Type: application/json\r\n") != std::string::npos);
  CHECK(request->body == R"({"Detach":false,"Tty":false})");
}

TEST_CASE("docker hijack: bytes flow both ways and input can be closed alone",
          "[runtime][docker][hijack]") {
  FakeHijackEngine engine;
  engine.OnRaw("POST", "/v1.41/exec/abc/start", kUpgradedHead, UpperEcho);
  Result<HijackedConnection> connection = HijackedConnection::Open(engine.Options(), StartRequest());
  REQUIRE(connection.ok());
  WriteAll(connection->fd(), "hello\n");
  REQUIRE(connection->CloseWrite().ok());
  CHECK(connection->TakeEarlyBytes() + ReadToEnd(connection->fd()) == "HELLO\n");
}

TEST_CASE("docker hijack: bytes sent along with the response head come first",
          "[runtime][docker][hijack]") {
  FakeHijackEngine engine;
  engine.OnRaw("POST", "/v1.41/exec/abc/start", std::string(kUpgradedHead) + "early ",
               [](int fd) { WriteAll(fd, "late"); });
  Result<HijackedConnection> connection = HijackedConnection::Open(engine.Options(), StartRequest());
  REQUIRE(connection.ok());
  std::string early = connection->TakeEarlyBytes();
  std::string all = early + ReadToEnd(connection->fd());
  CHECK(all == "early late");
  CHECK(connection->TakeEarlyBytes().empty());
}

TEST_CASE("docker hijack: an engine that answers 200 streams on just the same",
          "[runtime][docker][hijack]") {
  FakeHijackEngine engine;
  engine.OnRaw("POST", "/v1.41/exec/abc/start",
               "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n",
               [](int fd) { WriteAll(fd, "output"); });
  Result<HijackedConnection> connection = HijackedConnection::Open(engine.Options(), StartRequest());
  REQUIRE(connection.ok());
  CHECK(connection->TakeEarlyBytes() + ReadToEnd(connection->fd()) == "output");
}

TEST_CASE("docker hijack: a refused start carries docker's message", "[runtime][docker][hijack]") {
  FakeHijackEngine engine;
  std::string body = R"({"message":"Container abc is not running"})";
  engine.OnRaw("POST", "/v1.41/exec/abc/start",
               "HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body,
               [](int fd) { ReadToEnd(fd); });  // keeps the connection open, as Docker does
  Result<HijackedConnection> connection = HijackedConnection::Open(engine.Options(), StartRequest());
  REQUIRE_FALSE(connection.ok());
  CHECK(connection.error().kind == Error::Kind::kConflict);
  CHECK(connection.error().ToString() == "host lab1: 409 Conflict: Container abc is not running");
}

TEST_CASE("docker hijack: a chunked refusal is decoded", "[runtime][docker][hijack]") {
  FakeHijackEngine engine;
  engine.OnRaw("POST", "/v1.41/exec/abc/start",
               "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
               "f\r\n{\"message\":\"No \r\n12\r\nsuch exec instance\r\n2\r\n\"}\r\n0\r\n\r\n",
               [](int fd) { ReadToEnd(fd); });
  Result<HijackedConnection> connection = HijackedConnection::Open(engine.Options(), StartRequest());
  REQUIRE_FALSE(connection.ok());
  CHECK(connection.error().kind == Error::Kind::kNotFound);
  CHECK(connection.error().ToString() == "host lab1: 404 Not Found: No such exec instance");
}

TEST_CASE("docker hijack: a missing socket is unreachable", "[runtime][docker][hijack]") {
  DockerOptions options;
  options.host = "lab1";
  options.socket_path = "/nonexistent/docker.sock";
  Result<HijackedConnection> connection = HijackedConnection::Open(options, StartRequest());
  REQUIRE_FALSE(connection.ok());
  CHECK(connection.error().kind == Error::Kind::kUnreachable);
  CHECK(connection.error().ToString() ==
        "host lab1: connect /nonexistent/docker.sock: No such file or directory");
}

TEST_CASE("docker hijack: an answer that is not http is malformed", "[runtime][docker][hijack]") {
  FakeHijackEngine engine;
  engine.OnRaw("POST", "/v1.41/exec/abc/start", "SSH-2.0-OpenSSH_9.2\r\n\r\n");
  Result<HijackedConnection> connection = HijackedConnection::Open(engine.Options(), StartRequest());
  REQUIRE_FALSE(connection.ok());
  CHECK(connection.error().kind == Error::Kind::kInternal);
  CHECK(connection.error().ToString() ==
        "host lab1: malformed response: not http: SSH-2.0-OpenSSH_9.2");
}

TEST_CASE("docker hijack: an engine that says nothing times out", "[runtime][docker][hijack]") {
  FakeHijackEngine engine;
  engine.OnRaw("POST", "/v1.41/exec/abc/start", "", [](int fd) { ReadToEnd(fd); });
  HttpRequest request = StartRequest();
  request.timeout = std::chrono::milliseconds(200);
  Result<HijackedConnection> connection = HijackedConnection::Open(engine.Options(), request);
  REQUIRE_FALSE(connection.ok());
  CHECK(connection.error().kind == Error::Kind::kUnreachable);
  CHECK(connection.error().ToString() == "host lab1: no response in time");
}

TEST_CASE("docker hijack: the client's attached start names the exec and its tty",
          "[runtime][docker][hijack]") {
  FakeHijackEngine engine;
  engine.OnRaw("POST", "/v1.41/exec/e1/start", kUpgradedHead);
  Result<DockerClient> docker = DockerClient::Connect(engine.Options());
  REQUIRE(docker.ok());
  Result<HijackedConnection> connection = docker->StartExecAttached("e1", true);
  REQUIRE(connection.ok());
  auto request = engine.Last("POST", "/v1.41/exec/e1/start");
  REQUIRE(request);
  CHECK(nlohmann::json::parse(request->body) == nlohmann::json{{"Detach", false}, {"Tty", true}});
}

}  // namespace
}  // namespace baton::runtime
