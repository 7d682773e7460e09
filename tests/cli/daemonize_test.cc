// Daemonize: the pid file exists when the original process returns, and a
// start that cannot write it leaves no daemon behind.

#include "cli/daemonize.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace baton::cli {
namespace {

using namespace std::chrono_literals;

std::string TestPath(const std::string& what) {
  return "/tmp/baton-daemonize-test-" + std::to_string(::getpid()) + "-" + what;
}

TEST_CASE("daemonize: a pid file that cannot be written leaves no daemon", "[cli][daemonize]") {
  std::string marker = TestPath("marker");
  std::filesystem::remove(marker);
  auto side = Daemonize("", "/nonexistent-baton-dir/watch.pid");
  if (side.ok() && *side == DaemonSide::kDaemon) {
    std::ofstream(marker) << "a daemon ran\n";  // only a daemon that should not exist
    ::_exit(0);
  }
  REQUIRE_FALSE(side.ok());
  CHECK(side.error().ToString() ==
        "daemon start failed (pid file /nonexistent-baton-dir/watch.pid)");
  std::this_thread::sleep_for(300ms);
  CHECK_FALSE(std::filesystem::exists(marker));
}

TEST_CASE("daemonize: the daemon's pid file exists when the original returns",
          "[cli][daemonize]") {
  std::string pid_file = TestPath("pid");
  std::filesystem::remove(pid_file);
  auto side = Daemonize("", pid_file);
  if (side.ok() && *side == DaemonSide::kDaemon) ::_exit(0);
  REQUIRE(side.ok());
  std::ifstream in(pid_file);
  long pid = 0;
  in >> pid;
  CHECK(pid > 1);
  CHECK(pid != ::getpid());
  std::filesystem::remove(pid_file);
}

}  // namespace
}  // namespace baton::cli
