// `baton scale` end to end on the shared 3-host lab (issue 6): counts set
// by scale are recorded on the hosts, survive an `up` of an unchanged
// compose file, and yield to a changed file count. The desired-state
// record's generation is read through each host's own socket.

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "lab_fixture.h"
#include "planner/labels.h"
#include "runtime/docker_client.h"

namespace baton::lab_test {
namespace {

const std::string kProject = "h2cli-scale";

runtime::Filters Label(const std::string& key, const std::string& value) {
  return {{"label", {key + "=" + value}}};
}

std::string ComposeWith(int replicas) {
  return "services:\n"
         "  web:\n"
         "    image: baton/busybox:lab\n"
         "    command: [sleep, \"3600\"]\n"
         "    stop_grace_period: 1s\n"
         "    deploy:\n"
         "      replicas: " +
         std::to_string(replicas) + "\n";
}

// A compose file in its own temporary folder, removed at the end.
class ComposeFile {
 public:
  ComposeFile() : dir_(std::filesystem::temp_directory_path() /
                       ("baton-scale-lab-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(dir_);
  }
  ~ComposeFile() { std::filesystem::remove_all(dir_); }
  void Write(int replicas) const { std::ofstream(path()) << ComposeWith(replicas); }
  std::string path() const { return (dir_ / "compose.yaml").string(); }

 private:
  std::filesystem::path dir_;
};

// Takes the project down, record and all, whatever happened.
class Cleanup {
 public:
  explicit Cleanup(const Lab& lab) : lab_(lab) {}
  ~Cleanup() { RunBaton(lab_, {"-p", kProject, "down", "-v"}); }

 private:
  const Lab& lab_;
};

// Running web replicas over every host.
size_t RunningWeb(const Lab& lab) {
  size_t running = 0;
  for (auto& [host, engine] : Engines(lab)) {
    auto list = engine.ListContainers(false, Label(planner::labels::kProject, kProject));
    if (!list.ok()) FAIL(list.error().ToString());
    running += static_cast<size_t>(std::count_if(list->begin(), list->end(), [](const auto& c) {
      auto service = c.labels.find(planner::labels::kService);
      return service != c.labels.end() && service->second == "web";
    }));
  }
  return running;
}

// The newest record generation on each host (0 where it has none).
std::map<std::string, uint64_t> Generations(const Lab& lab) {
  std::map<std::string, uint64_t> newest;
  for (auto& [host, engine] : Engines(lab)) {
    auto list = engine.ListContainers(true, Label(planner::labels::kStateOf, kProject));
    if (!list.ok()) FAIL(list.error().ToString());
    newest[host] = 0;
    for (const runtime::ContainerSummary& c : *list) {
      auto generation = c.labels.find(planner::labels::kGeneration);
      if (generation != c.labels.end())
        newest[host] = std::max<uint64_t>(newest[host], std::stoull(generation->second));
    }
  }
  return newest;
}

// Every host holds a newer generation than in `before`, all the same.
void CheckGrew(const std::map<std::string, uint64_t>& before,
               const std::map<std::string, uint64_t>& after) {
  REQUIRE(after.size() == 3);
  for (const auto& [host, generation] : after) {
    INFO(host);
    CHECK(generation > before.at(host));
    CHECK(generation == after.begin()->second);
  }
}

void Succeeds(const ProgramRun& run) {
  INFO(run.out);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
}

TEST_CASE("scale lab: scale survives an unchanged up and yields to a changed file",
          "[lab][scale]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  ComposeFile compose;
  compose.Write(1);
  Cleanup cleanup(*lab);
  const std::vector<std::string> file{"-f", compose.path(), "-p", kProject};
  auto baton = [&](std::vector<std::string> args) {
    args.insert(args.begin(), file.begin(), file.end());
    return RunBaton(*lab, args);
  };

  Succeeds(baton({"up", "-d"}));
  CHECK(RunningWeb(*lab) == 1);
  auto first = Generations(*lab);
  CheckGrew(std::map<std::string, uint64_t>{{"lab1", 0}, {"lab2", 0}, {"lab3", 0}}, first);

  Succeeds(baton({"scale", "web=3"}));
  CHECK(RunningWeb(*lab) == 3);
  auto scaled = Generations(*lab);
  CheckGrew(first, scaled);

  ProgramRun again = baton({"up", "-d"});
  Succeeds(again);
  CHECK(again.out == "nothing to change\n");
  CHECK(RunningWeb(*lab) == 3);

  compose.Write(2);
  Succeeds(baton({"up", "-d"}));
  CHECK(RunningWeb(*lab) == 2);
  auto changed = Generations(*lab);
  CheckGrew(scaled, changed);

  Succeeds(RunBaton(*lab, {"-p", kProject, "scale", "web=1"}));  // from the record alone
  CHECK(RunningWeb(*lab) == 1);
  CheckGrew(changed, Generations(*lab));

  Succeeds(RunBaton(*lab, {"-p", kProject, "down"}));
  CHECK(Generations(*lab) == std::map<std::string, uint64_t>{{"lab1", 0}, {"lab2", 0}, {"lab3", 0}});
}

TEST_CASE("scale lab: refused arguments change nothing", "[lab][scale]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  ProgramRun run = RunBaton(*lab, {"-p", kProject, "scale", "web=300"});
  CHECK(run.exit_code == 1);
  CHECK(run.err == "baton: invalid count in \"web=300\": use a whole number from 0 to 256\n");
  ProgramRun missing = RunBaton(*lab, {"-p", "h2cli-scale-none", "scale", "web=2"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err ==
        "baton: project h2cli-scale-none has no desired state on the hosts; run `baton up` "
        "first\n");
}

}  // namespace
}  // namespace baton::lab_test
