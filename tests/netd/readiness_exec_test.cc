// The readiness probe's exec over a fake engine socket: create, detached
// start, inspect polled until the command ends or the timeout passes.

#include "runtime/netd/readiness_exec.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/unique_fd.h"

namespace baton::netd {
namespace {

using namespace std::chrono_literals;

struct FakeReply {
  int status = 200;
  std::string body;
};

// A unix-socket engine that answers each request ("POST /exec/e1/start")
// with `answer` and records the request lines with their bodies.
class FakeEngine {
 public:
  using Answer = std::function<FakeReply(const std::string& line)>;

  explicit FakeEngine(Answer answer)
      : path_("/tmp/netd-probe-test-" + std::to_string(getpid()) + ".sock"),
        answer_(std::move(answer)) {
    unlink(path_.c_str());
    listener_.Reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strcpy(addr.sun_path, path_.c_str());
    REQUIRE(bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(listen(listener_.get(), 8) == 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeEngine() {
    stop_ = true;
    thread_.join();
    unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd fd{listener_.get(), POLLIN, 0};
      if (poll(&fd, 1, 20) <= 0) continue;
      UniqueFd conn(accept(listener_.get(), nullptr, nullptr));
      std::string request = ReadRequest(conn.get());
      std::string line = request.substr(0, request.find(" HTTP/"));
      size_t body_at = request.find("\r\n\r\n");
      {
        std::lock_guard lock(mu_);
        requests_.push_back(line +
                            (body_at == std::string::npos ? "" : request.substr(body_at + 4)));
      }
      FakeReply reply = answer_(line);
      std::string raw = "HTTP/1.1 " + std::to_string(reply.status) +
                        " X\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(reply.body.size()) + "\r\n\r\n" + reply.body;
      send(conn.get(), raw.data(), raw.size(), MSG_NOSIGNAL);
    }
  }

  // The head and, by Content-Length, the body.
  static std::string ReadRequest(int fd) {
    std::string request;
    char buf[4096];
    while (true) {
      size_t head_end = request.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t length_at = request.find("Content-Length: ");
        size_t length = length_at == std::string::npos || length_at > head_end
                            ? 0
                            : std::stoul(request.substr(length_at + 16));
        if (request.size() >= head_end + 4 + length) return request;
      }
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return request;
      request.append(buf, static_cast<size_t>(n));
    }
  }

  std::string path_;
  Answer answer_;
  UniqueFd listener_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

ReadinessSpec Spec(std::chrono::milliseconds timeout) {
  ReadinessSpec spec;
  spec.test = {"CMD-SHELL", "test -e /tmp/ready"};
  spec.timeout = timeout;
  return spec;
}

// An engine whose exec runs for `polls` inspections, then exits with `code`.
FakeEngine::Answer ExecThatEnds(int polls, int code) {
  auto seen = std::make_shared<int>(0);
  return [=](const std::string& line) -> FakeReply {
    if (line == "POST /containers/ab12/exec") return {201, R"({"Id":"e1"})"};
    if (line == "POST /exec/e1/start") return {200, ""};
    if (line == "GET /exec/e1/json") {
      bool running = (*seen)++ < polls;
      return {200, std::string(R"({"Running":)") + (running ? "true" : "false") +
                       R"(,"ExitCode":)" + std::to_string(code) + "}"};
    }
    return {404, R"({"message":"no such thing"})"};
  };
}

TEST_CASE("readiness exec: a command that exits 0 passes", "[netd][readiness]") {
  FakeEngine engine(ExecThatEnds(2, 0));
  std::string hanging;
  ProbeResult result = RunProbe(engine.path(), "ab12", Spec(5s), {}, hanging);
  CHECK(result.success);
  std::vector<std::string> requests = engine.requests();
  REQUIRE(requests.size() == 5);
  CHECK(requests[0] == R"(POST /containers/ab12/exec{"AttachStderr":false,"AttachStdout":false,)"
                       R"("Cmd":["/bin/sh","-c","test -e /tmp/ready"]})");
  CHECK(requests[1] == R"(POST /exec/e1/start{"Detach":true})");
  CHECK(requests[4] == "GET /exec/e1/json");
}

TEST_CASE("readiness exec: a nonzero exit fails with its code", "[netd][readiness]") {
  FakeEngine engine(ExecThatEnds(0, 1));
  std::string hanging;
  ProbeResult result = RunProbe(engine.path(), "ab12", Spec(5s), {}, hanging);
  CHECK_FALSE(result.success);
  CHECK(result.reason == "exit 1");
}

TEST_CASE("readiness exec: a command still running at the timeout fails", "[netd][readiness]") {
  FakeEngine engine(ExecThatEnds(1000, 0));
  std::string hanging;
  auto start = std::chrono::steady_clock::now();
  ProbeResult result = RunProbe(engine.path(), "ab12", Spec(300ms), {}, hanging);
  CHECK_FALSE(result.success);
  CHECK(result.reason == "timeout after 300ms");
  CHECK(std::chrono::steady_clock::now() - start < 1s);
}

TEST_CASE("readiness exec: a gone container fails with the engine's status", "[netd][readiness]") {
  FakeEngine engine(ExecThatEnds(0, 0));
  std::string hanging;
  ProbeResult result = RunProbe(engine.path(), "cd34", Spec(5s), {}, hanging);
  CHECK_FALSE(result.success);
  CHECK(result.reason == "exec: /containers/cd34/exec: status 404");
}

TEST_CASE("readiness exec: while a timed-out exec still runs, no other is started",
          "[netd][readiness]") {
  FakeEngine engine(ExecThatEnds(3, 0));  // runs through 3 inspections
  std::string hanging;
  CHECK(RunProbe(engine.path(), "ab12", Spec(100ms), {}, hanging).reason == "timeout after 100ms");
  CHECK(hanging == "e1");
  ProbeResult second = RunProbe(engine.path(), "ab12", Spec(100ms), {}, hanging);
  CHECK_FALSE(second.success);
  CHECK(second.reason == "exec still running from a timed-out probe");
  CHECK(RunProbe(engine.path(), "ab12", Spec(100ms), {}, hanging).reason ==
        "exec still running from a timed-out probe");
  CHECK(RunProbe(engine.path(), "ab12", Spec(5s), {}, hanging).success);  // e1 ended: a new one
  CHECK(hanging.empty());
  std::vector<std::string> requests = engine.requests();
  CHECK(std::count_if(requests.begin(), requests.end(), [](const std::string& line) {
          return line.rfind("POST /containers/ab12/exec", 0) == 0;
        }) == 2);
}

TEST_CASE("readiness exec: a probe that stops being tracked does not block Track",
          "[netd][readiness]") {
  std::atomic<bool> asked{false};
  FakeEngine engine([&](const std::string&) -> FakeReply {
    asked = true;
    std::this_thread::sleep_for(1500ms);  // an engine that hangs on the exec create
    return {500, ""};
  });
  ReadinessProber prober(engine.path());
  prober.Track({{"ab12", "shop-web-1", "2026-11-29T05:00:00Z",
                 R"({"test":["CMD","true"],"interval_ms":1000,"timeout_ms":1000,)"
                 R"("retries":1,"start_period_ms":0})"}});
  auto until = std::chrono::steady_clock::now() + 3s;
  while (!asked && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
  REQUIRE(asked);
  auto start = std::chrono::steady_clock::now();
  prober.Track({});
  CHECK(std::chrono::steady_clock::now() - start < 200ms);
  CHECK(prober.Reason("shop-web-1") == "not probed");
}

}  // namespace
}  // namespace baton::netd
