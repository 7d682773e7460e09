#include <catch2/catch.hpp>
#include <chrono>

#include "runtime/netd/host_command.h"

namespace baton::netd {
namespace {

TEST_CASE("host command: the program is found on the standard path and its output returned",
          "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/");
  auto out = runner->Run({"echo", "hello", "world"});
  REQUIRE(out.ok());
  CHECK(*out == "hello world\n");
}

TEST_CASE("host command: input reaches the program's stdin", "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/");
  auto out = runner->Run({"cat"}, "line one\nline two\n");
  REQUIRE(out.ok());
  CHECK(*out == "line one\nline two\n");
}

TEST_CASE("host command: the environment is only the fixed path", "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/");
  auto out = runner->Run({"env"});
  REQUIRE(out.ok());
  CHECK(*out == "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLC_ALL=C\n");
}

TEST_CASE("host command: a failure names the command and its stderr", "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/");
  auto out = runner->Run({"sh", "-c", "echo partial; echo 'it broke' >&2; exit 3"});
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().kind == Error::Kind::kInternal);
  CHECK(out.error().ToString() == "sh -c echo partial; echo 'it broke' >&2; exit 3: it broke");
}

TEST_CASE("host command: a silent failure gives the exit status", "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/");
  auto out = runner->Run({"false"});
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().ToString() == "false: exit status 1");
}

TEST_CASE("host command: a missing program is reported", "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/");
  auto out = runner->Run({"baton-no-such-program", "x"});
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().ToString() ==
        "baton-no-such-program x: baton-no-such-program: No such file or directory");
}

TEST_CASE("host command: a root that cannot be entered is reported", "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/nonexistent-baton-root");
  auto out = runner->Run({"true"});
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().ToString() ==
        "true: chroot /nonexistent-baton-root: No such file or directory");
}

TEST_CASE("host command: large outputs on both streams do not deadlock", "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/");
  std::string input(300000, 'x');
  auto out = runner->Run(
      {"sh", "-c", "head -c 200000 /dev/zero >&2; cat; head -c 200000 /dev/zero >&2"}, input);
  REQUIRE(out.ok());
  CHECK(out->size() == input.size());
}

TEST_CASE("host command: a command that ignores its input and exits is fine",
          "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/");
  auto out = runner->Run({"true"}, std::string(1 << 20, 'x'));
  CHECK(out.ok());
}

TEST_CASE("host command: a command running past the limit is killed", "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/", std::chrono::milliseconds(300));
  auto start = std::chrono::steady_clock::now();
  auto out = runner->Run({"sleep", "5"});
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().ToString() == "sleep 5: timed out after 300 ms");
  CHECK(took < std::chrono::seconds(2));
}

TEST_CASE("host command: a command that closes its outputs but keeps running is killed",
          "[netd][host_command]") {
  auto runner = MakeHostCommandRunner("/", std::chrono::milliseconds(300));
  auto out = runner->Run({"sh", "-c", "exec >/dev/null 2>&1; sleep 5"});
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().ToString() == "sh -c exec >/dev/null 2>&1; sleep 5: timed out after 300 ms");
}

TEST_CASE("host command: an empty command is refused", "[netd][host_command]") {
  auto out = MakeHostCommandRunner("/")->Run({});
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().ToString() == "empty host command");
}

}  // namespace
}  // namespace baton::netd
