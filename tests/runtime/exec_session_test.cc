#include "runtime/exec_session.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "docker_server_fake.h"
#include "hijack_server_fake.h"
#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using testing::FakeHijackEngine;
using testing::Frame;
using testing::kUpgradedHead;
using testing::ReadToEnd;
using testing::WriteAll;

constexpr const char* kStart = "/v1.41/exec/e1/start";

// A pipe whose ends close themselves.
struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    CloseWrite();
    if (read >= 0) ::close(read);
  }
  void CloseWrite() {
    if (write >= 0) ::close(write);
    write = -1;
  }
  // Everything written so far; closes the write end first.
  std::string Drain() {
    CloseWrite();
    return ReadToEnd(read);
  }
};

// An engine whose exec e1 in web-1 runs `session` and then reports `exit_code`.
void AddExec(FakeHijackEngine& engine, FakeHijackEngine::Session session, int exit_code = 0) {
  engine.On("POST", "/v1.41/containers/web-1/exec", 201, R"({"Id":"e1"})");
  engine.OnRaw("POST", kStart, kUpgradedHead, std::move(session));
  engine.On("GET", "/v1.41/exec/e1/json", 200,
            json{{"Running", false}, {"ExitCode", exit_code}, {"ContainerID", "c1"}}.dump());
  engine.On("POST", "/v1.41/exec/e1/resize", 201, "");
}

// Writes to a pipe (testing::WriteAll is for sockets).
void Put(int fd, const std::string& text) {
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
}

ExecSessionIo Io(const Pipe& out, const Pipe& err, int in_fd = -1) {
  ExecSessionIo io;
  io.in_fd = in_fd;
  io.out_fd = out.write;
  io.err_fd = err.write;
  return io;
}

// Whether the last resize asked for `columns`.
bool LastResizeHasColumns(const FakeHijackEngine& engine, const std::string& columns) {
  auto resize = engine.Last("POST", "/v1.41/exec/e1/resize");
  return resize && resize->target.ends_with("w=" + columns);
}

DockerClient Connect(const FakeHijackEngine& engine) {
  Result<DockerClient> docker = DockerClient::Connect(engine.Options());
  REQUIRE(docker.ok());
  return std::move(*docker);
}

ExecCreateSpec Spec(std::vector<std::string> cmd, bool tty = false, bool input = false) {
  ExecCreateSpec spec;
  spec.cmd = std::move(cmd);
  spec.tty = tty;
  spec.attach_stdin = input;
  return spec;
}

TEST_CASE("exec session: output is split into stdout and stderr and the exit code read",
          "[runtime][exec]") {
  FakeHijackEngine engine;
  AddExec(engine, [](int fd) { WriteAll(fd, Frame(1, "hi\n") + Frame(2, "oops\n")); }, 3);
  DockerClient docker = Connect(engine);
  Pipe out, err;
  ExecSessionIo io = Io(out, err);
  Result<ExecOutcome> outcome = RunExecSession(docker, "web-1", Spec({"sh", "-c", "x"}), io);
  REQUIRE(outcome.ok());
  CHECK(outcome->exit_code == 3);
  CHECK(out.Drain() == "hi\n");
  CHECK(err.Drain() == "oops\n");
}

TEST_CASE("exec session: input is sent and then closed so the command sees its end",
          "[runtime][exec]") {
  FakeHijackEngine engine;
  AddExec(engine, [](int fd) {
    std::string input = ReadToEnd(fd);  // ends only when baton closes its side
    std::transform(input.begin(), input.end(), input.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    WriteAll(fd, Frame(1, input));
  });
  DockerClient docker = Connect(engine);
  Pipe in, out, err;
  Put(in.write, "abc\ndef\n");
  in.CloseWrite();
  ExecSessionIo io = Io(out, err, in.read);
  Result<ExecOutcome> outcome = RunExecSession(docker, "web-1", Spec({"cat"}, false, true), io);
  REQUIRE(outcome.ok());
  CHECK(outcome->exit_code == 0);
  CHECK(out.Drain() == "ABC\nDEF\n");
}

TEST_CASE("exec session: with a tty the output is raw and the size is sent at start",
          "[runtime][exec]") {
  FakeHijackEngine engine;
  AddExec(engine, [](int fd) { WriteAll(fd, "$ raw\r\n"); });
  DockerClient docker = Connect(engine);
  Pipe out, err;
  ExecSessionIo io = Io(out, err);
  io.terminal_size = [] { return TerminalSize{24, 80}; };
  Result<ExecOutcome> outcome = RunExecSession(docker, "web-1", Spec({"sh"}, true, true), io);
  REQUIRE(outcome.ok());
  CHECK(out.Drain() == "$ raw\r\n");
  auto resize = engine.Last("POST", "/v1.41/exec/e1/resize");
  REQUIRE(resize);
  CHECK(resize->target == "/v1.41/exec/e1/resize?h=24&w=80");
  CHECK(json::parse(engine.Last("POST", kStart)->body) == json{{"Detach", false}, {"Tty", true}});
}

TEST_CASE("exec session: a resize wake sends the new size", "[runtime][exec]") {
  FakeHijackEngine engine;
  AddExec(engine, [&engine](int fd) {
    // Runs until the second size arrives, as a shell would until it exits.
    for (int i = 0; i < 200 && !LastResizeHasColumns(engine, "132"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    WriteAll(fd, "bye");
  });
  DockerClient docker = Connect(engine);
  Pipe out, err, wake;
  Put(wake.write, "W");
  int sizes_asked = 0;
  ExecSessionIo io = Io(out, err);
  io.terminal_size = [&] { return ++sizes_asked == 1 ? TerminalSize{24, 80} : TerminalSize{50, 132}; };
  io.wake_fd = wake.read;
  io.on_wake = [&] {
    char byte;
    (void)!::read(wake.read, &byte, 1);
    return ExecWake::kResized;
  };
  Result<ExecOutcome> outcome = RunExecSession(docker, "web-1", Spec({"sh"}, true), io);
  REQUIRE(outcome.ok());
  CHECK(out.Drain() == "bye");
  CHECK(engine.Last("POST", "/v1.41/exec/e1/resize")->target == "/v1.41/exec/e1/resize?h=50&w=132");
}

TEST_CASE("exec session: a stop wake ends the session without an exit code", "[runtime][exec]") {
  FakeHijackEngine engine;
  AddExec(engine, [](int fd) { ReadToEnd(fd); });  // a command that never ends by itself
  DockerClient docker = Connect(engine);
  Pipe out, err, wake;
  Put(wake.write, "T");
  ExecSessionIo io = Io(out, err);
  io.wake_fd = wake.read;
  io.on_wake = [] { return ExecWake::kStop; };
  Result<ExecOutcome> outcome = RunExecSession(docker, "web-1", Spec({"sleep", "1000"}), io);
  REQUIRE(outcome.ok());
  CHECK_FALSE(outcome->exit_code.has_value());
}

TEST_CASE("exec session: a container that does not run names the step", "[runtime][exec]") {
  FakeHijackEngine engine;
  engine.On("POST", "/v1.41/containers/web-1/exec", 409,
            R"({"message":"Container 3f2a is not running"})");
  DockerClient docker = Connect(engine);
  Pipe out, err;
  ExecSessionIo io = Io(out, err);
  Result<ExecOutcome> outcome = RunExecSession(docker, "web-1", Spec({"true"}), io);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().kind == Error::Kind::kConflict);
  CHECK(outcome.error().ToString() ==
        "host lab1: create exec: 409 Conflict: Container 3f2a is not running");
}

TEST_CASE("exec session: the create body carries the command, environment, user and directory",
          "[runtime][exec]") {
  FakeHijackEngine engine;
  AddExec(engine, [](int) {});
  DockerClient docker = Connect(engine);
  Pipe out, err;
  ExecSessionIo io = Io(out, err);
  ExecCreateSpec spec = Spec({"env"}, false, true);
  spec.env = {"A=1"};
  spec.user = "nobody";
  spec.working_dir = "/tmp";
  REQUIRE(RunExecSession(docker, "web-1", spec, io).ok());
  CHECK(json::parse(engine.Last("POST", "/v1.41/containers/web-1/exec")->body) ==
        json{{"AttachStdin", true},
             {"AttachStdout", true},
             {"AttachStderr", true},
             {"Tty", false},
             {"Privileged", false},
             {"Cmd", {"env"}},
             {"Env", {"A=1"}},
             {"User", "nobody"},
             {"WorkingDir", "/tmp"}});
}

}  // namespace
}  // namespace baton::runtime
