// The desired-state store on the lab's engines: records written to every
// host as never-started containers holding their file, read back from each
// engine directly, generations, pruning, an incomplete record, removal; and
// a restart policy changed in place.

#include <catch2/catch.hpp>
#include <algorithm>
#include <string>

#include "base/sha256.h"
#include "base/tar_reader.h"
#include "planner/labels.h"
#include "runtime/host_pool.h"
#include "runtime/lock_image.h"
#include "runtime/state_store.h"
#include "tests/lab/lab_fixture.h"

namespace baton::lab_test {
namespace {

constexpr char kProject[] = "h1state-rec";

planner::DesiredRecord Record(int replicas) {
  planner::DesiredRecord record;
  record.project = kProject;
  record.written_by = "h1state lab test";
  record.written_at = "2026-11-29T05:30:0" + std::to_string(replicas) + "Z";
  record.scale["web"] = planner::ServiceScale{replicas, 1, planner::ScaleSource::kScale, ""};
  record.placement["web"] = {{1, "lab1"}};
  return record;
}

// The generations of the project's records on one engine, sorted.
std::vector<std::string> Generations(runtime::DockerClient& engine) {
  auto list = engine.ListContainers(
      true, {{"label", {std::string(planner::labels::kStateOf) + "=" + kProject}}});
  if (!list.ok()) FAIL(list.error().ToString());
  std::vector<std::string> out;
  for (const runtime::ContainerSummary& c : *list)
    out.push_back(c.labels.at(planner::labels::kGeneration));
  std::sort(out.begin(), out.end());
  return out;
}

// Removes the project's records however the test ends.
struct Cleanup {
  runtime::HostPool& pool;
  ~Cleanup() { (void)runtime::RemoveDesiredState(pool, kProject); }
};

TEST_CASE("state lab: records are written, read back, pruned and removed", "[lab][state]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  runtime::HostPool pool = runtime::HostPool::Open(lab->hosts, lab->ssh);
  Cleanup cleanup{pool};
  REQUIRE(runtime::RemoveDesiredState(pool, kProject).ok());
  std::map<std::string, runtime::DockerClient> engines = Engines(*lab);

  auto first = runtime::WriteDesiredState(pool, Record(1));
  REQUIRE(first.ok());
  CHECK(*first == 1);
  // Each engine holds the file, matching the sha label.
  std::string payload = planner::ToJson([] {
    planner::DesiredRecord r = Record(1);
    r.generation = 1;
    return r;
  }());
  for (auto& [host, engine] : engines) {
    INFO(host);
    auto tar = engine.GetArchive(std::string("baton-state-") + kProject + "-1",
                                 "/baton/desired.json");
    REQUIRE(tar.ok());
    auto files = ReadTarFiles(*tar, 1 << 20);
    REQUIRE(files.ok());
    CHECK(files->at("desired.json") == payload);
    auto info = engine.InspectContainer(std::string("baton-state-") + kProject + "-1");
    REQUIRE(info.ok());
    CHECK(info->labels.at(planner::labels::kStateSha) == Sha256Hex(payload));
    CHECK(info->state.status == "created");
  }

  auto second = runtime::WriteDesiredState(pool, Record(2));
  REQUIRE(second.ok());
  CHECK(*second == 2);
  auto read = runtime::ReadDesiredState(pool, kProject);
  REQUIRE(read.ok());
  REQUIRE(read->has_value());
  CHECK((*read)->record.generation == 2);
  CHECK((*read)->record.scale.at("web").replicas == 2);
  CHECK((*read)->holders == std::vector<std::string>{"lab1", "lab2", "lab3"});
  CHECK((*read)->stale.empty());

  for (int i = 3; i <= 5; ++i) REQUIRE(runtime::WriteDesiredState(pool, Record(i)).ok());
  for (auto& [host, engine] : engines) {
    INFO(host);
    CHECK(Generations(engine) == std::vector<std::string>{"3", "4", "5"});
  }

  // A writer that died between create and put leaves generation 6 without
  // its file on lab1: readers skip it, the next writer goes past it.
  runtime::ContainerSpec torn;
  torn.name = std::string("baton-state-") + kProject + "-6";
  torn.image = runtime::kLockImage;
  torn.cmd = std::vector<std::string>{"baton-state"};
  torn.labels = {{planner::labels::kRole, planner::labels::kStateRole},
                 {planner::labels::kStateOf, kProject},
                 {planner::labels::kGeneration, "6"},
                 {planner::labels::kStateSha, std::string(64, 'f')}};
  torn.host_config.network_mode = "none";
  REQUIRE(engines.at("lab1").CreateContainer(torn).ok());
  read = runtime::ReadDesiredState(pool, kProject);
  REQUIRE(read.ok());
  REQUIRE(read->has_value());
  CHECK((*read)->record.generation == 5);
  CHECK((*read)->holders.size() == 3);
  auto next = runtime::WriteDesiredState(pool, Record(7));
  REQUIRE(next.ok());
  CHECK(*next == 7);

  auto projects = runtime::ProjectsWithDesiredState(pool);
  REQUIRE(projects.ok());
  CHECK(std::count(projects->begin(), projects->end(), kProject) == 1);

  REQUIRE(runtime::RemoveDesiredState(pool, kProject).ok());
  for (auto& [host, engine] : engines) CHECK(Generations(engine).empty());
  read = runtime::ReadDesiredState(pool, kProject);
  REQUIRE(read.ok());
  CHECK_FALSE(read->has_value());
}

TEST_CASE("state lab: a restart policy changes in place", "[lab][state]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  std::map<std::string, runtime::DockerClient> engines = Engines(*lab);
  runtime::DockerClient& engine = engines.at("lab2");
  runtime::ContainerSpec spec;
  spec.name = "h1state-restart-1";
  spec.image = "baton/busybox:lab";
  spec.cmd = std::vector<std::string>{"true"};
  spec.host_config.network_mode = "none";
  runtime::RemoveContainerOptions force;
  force.force = true;
  (void)engine.RemoveContainer(spec.name, force);
  REQUIRE(engine.CreateContainer(spec).ok());
  Status updated = engine.UpdateRestartPolicy(spec.name, "on-failure", 3);
  auto info = engine.InspectContainer(spec.name);
  (void)engine.RemoveContainer(spec.name, force);
  REQUIRE(updated.ok());
  REQUIRE(info.ok());
  CHECK(info->raw["HostConfig"]["RestartPolicy"]["Name"] == "on-failure");
  CHECK(info->raw["HostConfig"]["RestartPolicy"]["MaximumRetryCount"] == 3);
  auto missing = engine.UpdateRestartPolicy("h1state-no-such-container", "no");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == Error::Kind::kNotFound);
}

}  // namespace
}  // namespace baton::lab_test
