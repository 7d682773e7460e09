#include <catch2/catch.hpp>

#include <signal.h>

#include <thread>

#include "cli/lab/process.h"

namespace baton::cli::lab {
namespace {

using std::chrono::milliseconds;

TEST_CASE("process: output and exit status are captured", "[lab][process]") {
  auto r = Run({"sh", "-c", "echo out; echo err >&2; exit 3"});
  REQUIRE(r.ok());
  CHECK(r->exit_code == 3);
  CHECK(r->out == "out\n");
  CHECK(r->err == "err\n");
}

TEST_CASE("process: arguments are passed verbatim, not through a shell", "[lab][process]") {
  auto r = Run({"echo", "$HOME; rm -rf /", "'x'"});
  REQUIRE(r.ok());
  CHECK(r->out == "$HOME; rm -rf / 'x'\n");
}

TEST_CASE("process: missing program is an error", "[lab][process]") {
  auto r = Run({"baton-no-such-program"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().ToString() == "baton-no-such-program: No such file or directory");
}

TEST_CASE("process: checked run reports the first stderr line", "[lab][process]") {
  auto r = RunChecked({"sh", "-c", "echo first >&2; echo second >&2; exit 1"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().ToString() ==
        "sh -c echo first >&2; echo second >&2; exit 1: first");
}

TEST_CASE("process: child over its time limit is killed", "[lab][process]") {
  auto r = Run({"sleep", "5"}, {}, milliseconds(200));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kUnreachable);
  CHECK(r.error().ToString() == "sleep 5: timed out after 200 ms");
}

TEST_CASE("process: extra environment reaches the child", "[lab][process]") {
  ProcessOptions options;
  options.env = {"BATON_PROCESS_TEST=yes"};
  auto r = Run({"sh", "-c", "echo $BATON_PROCESS_TEST"}, options);
  REQUIRE(r.ok());
  CHECK(r->out == "yes\n");
}

TEST_CASE("process: failure in the child before exec is reported", "[lab][process]") {
  ProcessOptions options;
  options.in_child = [] { return std::string("setup failed"); };
  auto r = Run({"true"}, options);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().ToString() == "setup failed");
}

TEST_CASE("process: daemon runs detached and its pid is returned", "[lab][process]") {
  auto pid = StartDaemon({"sleep", "30"}, {});
  REQUIRE(pid.ok());
  CHECK(IsRunning(*pid));
  kill(*pid, SIGKILL);
  for (int i = 0; i < 50 && IsRunning(*pid); ++i)
    std::this_thread::sleep_for(milliseconds(20));
  CHECK_FALSE(IsRunning(*pid));
}

TEST_CASE("process: daemon that cannot exec is an error", "[lab][process]") {
  auto pid = StartDaemon({"baton-no-such-program"}, {});
  REQUIRE_FALSE(pid.ok());
  CHECK(pid.error().ToString() == "baton-no-such-program: No such file or directory");
}

}  // namespace
}  // namespace baton::cli::lab
