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

#include "lab_faults.h"
#include "lab_fixture.h"
#include "planner/labels.h"
#include "runtime/docker_client.h"

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

// A temporary folder holding compose.yaml and the watcher's log; removed
// with the project (down -v) when the case ends.
class WatchedProject {
 public:
  WatchedProject(const Lab& lab, std::string project, const std::string& compose)
      : lab_(lab), project_(std::move(project)) {
    char dir[] = "/tmp/baton-watch-lab-XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    dir_ = dir;
    std::ofstream(dir_ / "compose.yaml") << compose;
  }
  ~WatchedProject() {
    RunBaton(lab_, {"-p", project_, "down", "-v"});
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string compose() const { return (dir_ / "compose.yaml").string(); }
  std::filesystem::path log() const { return dir_ / "watch.log"; }

 private:
  const Lab& lab_;
  std::string project_;
  std::filesystem::path dir_;
};

struct Found {
  std::string host;
  std::string id;
  std::string state;
};

// The container `name` on whichever lab host has it; empty when none does.
Found FindContainer(const Lab& lab, const std::string& project, const std::string& name) {
  runtime::Filters filters{{"label", {std::string(planner::labels::kProject) + "=" + project}}};
  for (auto& [host, engine] : Engines(lab)) {
    auto list = engine.ListContainers(true, filters);
    if (!list.ok()) continue;
    for (const runtime::ContainerSummary& c : *list)
      if (c.name == name) return {host, c.id, c.state};
  }
  return {};
}

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
