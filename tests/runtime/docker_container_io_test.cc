#include <catch2/catch.hpp>

#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using testing::ConnectTo;
using testing::FakeDockerServer;
using testing::FakeResponse;
using testing::Frame;
using testing::JsonResponse;
using testing::LastBody;

// A container without a TTY unless `tty`.
void AddContainer(FakeDockerServer& server, bool tty) {
  server.On("GET", "/v1.41/containers/web-1/json",
            JsonResponse(json{{"Id", "3f2a"}, {"Config", {{"Tty", tty}}}}.dump()));
}

FakeResponse Chunked(std::vector<std::string> chunks, const std::string& type) {
  FakeResponse r;
  r.content_type = type;
  r.chunks = std::move(chunks);
  return r;
}

TEST_CASE("docker logs: stdout and stderr frames are told apart", "[runtime][docker][logs]") {
  FakeDockerServer server;
  AddContainer(server, false);
  std::string stream = Frame(1, "listening\n") + Frame(2, "warning: slow\n") + Frame(1, "ready\n");
  // Cut the frames mid-header and mid-payload, as a socket may.
  server.On("GET", "/v1.41/containers/web-1/logs",
            Chunked({stream.substr(0, 5), stream.substr(5, 20), stream.substr(25)},
                    "application/vnd.docker.raw-stream"));
  DockerClient docker = ConnectTo(server);
  LogOptions last_ten;
  last_ten.tail = "10";
  Result<CapturedOutput> logs = docker.ReadLogs("web-1", last_ten);
  REQUIRE(logs.ok());
  CHECK(logs->out == "listening\nready\n");
  CHECK(logs->err == "warning: slow\n");
  CHECK(server.Last("GET", "/v1.41/containers/web-1/logs")->target ==
        "/v1.41/containers/web-1/logs?stdout=1&stderr=1&tail=10");
}

TEST_CASE("docker logs: output of a tty container is taken raw", "[runtime][docker][logs]") {
  FakeDockerServer server;
  AddContainer(server, true);
  server.On("GET", "/v1.41/containers/web-1/logs",
            Chunked({"plain text\r\n", "more\r\n"}, "application/vnd.docker.raw-stream"));
  DockerClient docker = ConnectTo(server);
  Result<CapturedOutput> logs = docker.ReadLogs("web-1");
  REQUIRE(logs.ok());
  CHECK(logs->out == "plain text\r\nmore\r\n");
  CHECK(logs->err.empty());
}

TEST_CASE("docker logs: a broken frame header is a malformed stream naming the call",
          "[runtime][docker][logs]") {
  FakeDockerServer server;
  AddContainer(server, false);
  server.On("GET", "/v1.41/containers/web-1/logs", JsonResponse("plain text, no frames"));
  DockerClient docker = ConnectTo(server);
  Result<CapturedOutput> logs = docker.ReadLogs("web-1");
  REQUIRE_FALSE(logs.ok());
  CHECK(logs.error().kind == Error::Kind::kInternal);
  CHECK(logs.error().ToString() ==
        "host lab1: GET /containers/web-1/logs: malformed output stream: unknown stream 112");
}

TEST_CASE("docker logs: following ends when the callback says so", "[runtime][docker][logs]") {
  FakeDockerServer server;
  AddContainer(server, false);
  FakeResponse endless = Chunked({Frame(1, "one\n"), Frame(1, "two\n")}, "");
  endless.hold_open = true;
  server.On("GET", "/v1.41/containers/web-1/logs", endless);
  DockerClient docker = ConnectTo(server);
  std::string seen;
  LogOptions follow;
  follow.follow = true;
  Status s = docker.ReadLogs("web-1", follow, [&](StreamKind, std::string_view data) {
    seen += data;
    return seen != "one\ntwo\n";
  });
  CHECK(s.ok());
  CHECK(seen == "one\ntwo\n");
  CHECK(server.Last("GET", "/v1.41/containers/web-1/logs")->target ==
        "/v1.41/containers/web-1/logs?stdout=1&stderr=1&follow=1&tail=all");
}

TEST_CASE("docker stats: one sample is decoded and cpu use needs two", "[runtime][docker][stats]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/containers/web-1/stats", JsonResponse(R"({
    "read": "2024-01-01T00:00:02Z",
    "cpu_stats": {"cpu_usage": {"total_usage": 3000000000}, "system_cpu_usage": 40000000000,
                  "online_cpus": 4},
    "precpu_stats": {},
    "memory_stats": {"usage": 7340032, "limit": 67108864},
    "pids_stats": {"current": 3},
    "networks": {"eth0": {"rx_bytes": 100, "tx_bytes": 50},
                 "eth1": {"rx_bytes": 1, "tx_bytes": 2}}})"));
  DockerClient docker = ConnectTo(server);
  Result<ContainerStats> after = docker.ReadStats("web-1");
  REQUIRE(after.ok());
  CHECK(server.Last("GET", "/v1.41/containers/web-1/stats")->target ==
        "/v1.41/containers/web-1/stats?stream=false&one-shot=true");
  CHECK(after->memory_usage_bytes == 7340032);
  CHECK(after->memory_limit_bytes == 67108864);
  CHECK(after->pids == 3);
  CHECK(after->online_cpus == 4);
  CHECK(after->network_rx_bytes == 101);
  CHECK(after->network_tx_bytes == 52);
  ContainerStats before = *after;
  before.cpu_total_ns = 2000000000;
  before.system_cpu_ns = 36000000000;
  // 1 s of container CPU in 4 s of all four CPUs' time: 25 % of the machine = 100 % of one CPU.
  CHECK(CpuPercent(before, *after) == Approx(100.0));
  CHECK(CpuPercent(*after, before) == 0.0);
}

TEST_CASE("docker exec: runs, captures both streams and reads the exit code",
          "[runtime][docker][exec]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/web-1/exec", JsonResponse(R"({"Id": "e1"})"));
  FakeResponse output;
  output.content_type = "application/vnd.docker.raw-stream";
  output.close_delimited = true;
  output.body = Frame(1, "hello\n") + Frame(2, "no such file\n");
  server.On("POST", "/v1.41/exec/e1/start", output);
  server.On("GET", "/v1.41/exec/e1/json", JsonResponse(R"({"Running": false, "ExitCode": 2})"));
  DockerClient docker = ConnectTo(server);
  ExecSpec spec;
  spec.cmd = {"sh", "-c", "echo hello; cat /nope"};
  spec.env = {"A=1"};
  spec.working_dir = "/tmp";
  Result<ExecResult> r = docker.Exec("web-1", spec);
  REQUIRE(r.ok());
  CHECK(r->exit_code == 2);
  CHECK(r->output.out == "hello\n");
  CHECK(r->output.err == "no such file\n");
  CHECK(LastBody(server, "POST", "/v1.41/containers/web-1/exec") == json::parse(R"({
    "AttachStdin": false, "AttachStdout": true, "AttachStderr": true, "Tty": false,
    "Cmd": ["sh", "-c", "echo hello; cat /nope"], "Env": ["A=1"], "WorkingDir": "/tmp"})"));
  CHECK(LastBody(server, "POST", "/v1.41/exec/e1/start") ==
        json::parse(R"({"Detach": false, "Tty": false})"));
}

TEST_CASE("docker exec: in a stopped container it is a conflict", "[runtime][docker][exec]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/web-1/exec",
            testing::DockerError(409, "Conflict", "Container 3f2a is not running"));
  DockerClient docker = ConnectTo(server);
  ExecSpec spec;
  spec.cmd = {"true"};
  Result<ExecResult> r = docker.Exec("web-1", spec);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kConflict);
  CHECK(r.error().ToString() == "host lab1: 409 Conflict: Container 3f2a is not running");
}

TEST_CASE("docker exec: a command that outlives its timeout is unreachable",
          "[runtime][docker][exec]") {
  FakeDockerServer server;
  server.On("POST", "/v1.41/containers/web-1/exec", JsonResponse(R"({"Id": "e1"})"));
  FakeResponse slow;
  slow.hang = true;
  server.On("POST", "/v1.41/exec/e1/start", slow);
  DockerClient docker = ConnectTo(server);
  ExecSpec spec;
  spec.cmd = {"sleep", "60"};
  spec.timeout = std::chrono::milliseconds(200);
  Result<ExecResult> r = docker.Exec("web-1", spec);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kUnreachable);
}

}  // namespace
}  // namespace baton::runtime
