// `baton watch` on the shared 3-host lab: the built binary runs as a child
// of the test (tests/lab/lab_faults.h), its log in a temporary file. Each
// case uses its own project and takes it down at the end, whatever happened.

#include <signal.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "watch_fixture.h"

namespace baton::lab_test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kRestartAlways[] = R"(services:
  web:
    image: baton/busybox:lab
    command: ["sleep", "3600"]
    init: true
    restart: always
    stop_grace_period: 1s
    deploy:
      replicas: 2
)";

TEST_CASE("watch lab: a removed replica is created again in its slot", "[lab][watch]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const std::string project = "h7watch-rm";
  WatchedProject files(*lab, project, kRestartAlways);
  ProgramRun up = RunBaton(*lab, {"-f", files.compose(), "-p", project, "up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);

  BatonChild watch(*lab,
                   {"-p", project, "watch", "--metrics", "off", "--heartbeat", "1s", "--grace",
                    "3s"},
                   files.log());
  INFO(watch.Log());
  REQUIRE(WaitUntil([&] { return watch.Log().find("lease") != std::string::npos; }, seconds(15)));
  Found before = FindContainer(*lab, project, project + "-web-2");
  REQUIRE(!before.id.empty());
  auto engines = Engines(*lab);
  REQUIRE(engines.at(before.host).RemoveContainer(before.id, {true, false}).ok());

  Found after;
  bool back = WaitUntil(
      [&] {
        after = FindContainer(*lab, project, project + "-web-2");
        return !after.id.empty() && after.id != before.id && after.state == "running";
      },
      seconds(10));
  INFO(watch.Log());
  CHECK(back);
  CHECK(after.host == before.host);
  CHECK(watch.Log().find("create") != std::string::npos);
  CHECK(watch.Stop(SIGTERM) == 0);
}

}  // namespace
}  // namespace baton::lab_test
