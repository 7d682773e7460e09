// ApplyPlan, DeployLock and image pushes against the real lab hosts over
// SSH. Run by the lab fixture (see tests/lab/CMakeLists.txt); without it
// every case warns and checks nothing. Projects are named apply-*, and
// every case removes what it made.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "compose/load.h"
#include "lab_fixture.h"
#include "planner/desired_state.h"
#include "planner/placement.h"
#include "planner/plan.h"
#include "runtime/apply.h"
#include "runtime/deploy_lock.h"
#include "runtime/host_pool.h"
#include "runtime/observe.h"

namespace baton::lab_test {
namespace {

using planner::ActionKind;
using runtime::DockerClient;
using runtime::HostPool;

// db on lab1 (healthy after its first check), web on lab2 waiting for it;
// migrate, a one-shot `true`, and api waiting for it to succeed, on lab3.
constexpr char kCompose[] = R"(
services:
  db:
    image: baton/busybox:lab
    command: ["sleep", "3600"]
    healthcheck: {test: ["CMD", "true"], interval: 1s, retries: 3}
    volumes: ["data:/data"]
  web:
    image: baton/busybox:lab
    command: ["sleep", "3600"]
    depends_on: {db: {condition: service_healthy}}
  migrate:
    image: baton/busybox:lab
    command: ["true"]
  api:
    image: baton/busybox:lab
    command: ["sleep", "3600"]
    depends_on: {migrate: {condition: service_completed_successfully}}
volumes:
  data: {}
)";

planner::DesiredState LoadDesired(const std::string& project, const std::string& yaml) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("baton-apply-lab-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "compose.yaml") << yaml;
  compose::LoadOptions options;
  options.files = {(dir / "compose.yaml").string()};
  options.project_name = project;
  options.working_dir = dir;
  RealFileSystem files;
  auto loaded = compose::Load(options, files);
  std::filesystem::remove_all(dir);
  if (!loaded.ok()) FAIL(loaded.error().ToString());
  auto desired = planner::MakeDesiredState(*loaded);
  if (!desired.ok()) FAIL(desired.error().ToString());
  return std::move(*desired);
}

HostPool OpenLab(const Lab& lab) {
  HostPool pool = HostPool::Open(lab.hosts, lab.ssh);
  for (const runtime::HostHandle& host : pool.hosts())
    if (!host.reachable()) FAIL(host.error->ToString());
  return pool;
}

DockerClient& DockerOf(HostPool& pool, const std::string& host) {
  Result<DockerClient*> docker = pool.Docker(host);
  if (!docker.ok()) FAIL(docker.error().ToString());
  return **docker;
}

// Removes every container, network and volume of `project` on every host:
// leftovers of an earlier run first, and all the test made at the end.
struct ProjectCleanup {
  HostPool& pool;
  std::string project;
  ProjectCleanup(HostPool& p, std::string name) : pool(p), project(std::move(name)) { Clean(); }
  ~ProjectCleanup() { Clean(); }
  void Clean() {
    runtime::Filters mine = {{"label", {"com.docker.compose.project=" + project}}};
    for (runtime::HostHandle& host : pool.hosts()) {
      if (!host.reachable()) continue;
      runtime::RemoveContainerOptions force;
      force.force = true;
      force.volumes = true;
      if (auto list = host.docker->ListContainers(true, mine); list.ok())
        for (const auto& c : *list) (void)host.docker->RemoveContainer(c.id, force);
      if (auto list = host.docker->ListNetworks(mine); list.ok())
        for (const auto& n : *list) (void)host.docker->RemoveNetwork(n.id);
      if (auto list = host.docker->ListVolumes(mine); list.ok())
        for (const auto& v : *list) (void)host.docker->RemoveVolume(v.name, true);
    }
  }
};

// Nanoseconds since the epoch of an RFC 3339 time as Docker writes them
// ("2024-05-01T10:00:00.123456789Z" or with "+02:00"), so times written by
// different engines compare.
long long Nanos(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    FAIL("not a time: " + text);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  long long nanos = static_cast<long long>(::timegm(&tm)) * 1000000000LL;
  size_t at = static_cast<size_t>(consumed);
  if (at < text.size() && text[at] == '.') {
    std::string fraction;
    while (++at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])))
      fraction += text[at];
    fraction.resize(9, '0');
    nanos += std::stoll(fraction.substr(0, 9));
  }
  if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int hours = std::stoi(text.substr(at + 1, 2)), minutes = std::stoi(text.substr(at + 4, 2));
    long long offset = (hours * 3600LL + minutes * 60LL) * 1000000000LL;
    nanos += text[at] == '+' ? -offset : offset;
  }
  return nanos;
}

// When `db` first passed its healthcheck: the end of its first successful check.
long long FirstHealthyAt(const runtime::ContainerInfo& db) {
  for (const nlohmann::json& check : db.raw["State"]["Health"]["Log"])
    if (check.value("ExitCode", -1) == 0) return Nanos(check.value("End", ""));
  FAIL("no successful healthcheck in " + db.raw["State"].dump());
  return 0;
}

planner::Action Act(ActionKind kind, const std::string& host, const std::string& name,
                    std::vector<size_t> after, const std::string& service = "") {
  planner::Action a;
  a.kind = kind;
  a.host = host;
  a.name = name;
  a.service = service;
  a.slot = service.empty() ? 0 : 1;
  a.after = std::move(after);
  return a;
}

// Networks on every host, the volume on lab1, then one replica each:
// web (lab2) listed before db (lab1) so only depends_on keeps it waiting.
planner::Plan DepsPlan(const std::string& project) {
  planner::Plan plan;
  plan.project = project;
  std::string net = project + "_default";
  plan.actions = {
      Act(ActionKind::kCreateNetwork, "lab1", net, {}),
      Act(ActionKind::kCreateNetwork, "lab2", net, {}),
      Act(ActionKind::kCreateNetwork, "lab3", net, {}),
      Act(ActionKind::kCreateVolume, "lab1", project + "_data", {}),
      Act(ActionKind::kCreateContainer, "lab2", project + "-web-1", {1}, "web"),
      Act(ActionKind::kCreateContainer, "lab1", project + "-db-1", {0, 3}, "db"),
      Act(ActionKind::kCreateContainer, "lab3", project + "-api-1", {2}, "api"),
      Act(ActionKind::kCreateContainer, "lab3", project + "-migrate-1", {2}, "migrate")};
  for (const auto& [service, host] : std::vector<std::pair<std::string, std::string>>{
           {"api", "lab3"}, {"db", "lab1"}, {"migrate", "lab3"}, {"web", "lab2"}})
    plan.placement.push_back({service, 1, host, project + "-" + service + "-1"});
  return plan;
}

runtime::ContainerInfo Inspect(HostPool& pool, const std::string& host, const std::string& name) {
  auto info = DockerOf(pool, host).InspectContainer(name);
  if (!info.ok()) FAIL(info.error().ToString());
  return std::move(*info);
}

TEST_CASE("apply lab: replicas on three hosts start after their dependencies elsewhere",
          "[lab][apply]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  HostPool pool = OpenLab(*lab);
  const std::string project = "apply-deps";
  ProjectCleanup cleanup(pool, project);
  planner::DesiredState desired = LoadDesired(project, kCompose);
  runtime::ApplyOptions options;
  options.wait_timeout = std::chrono::seconds(60);
  Status applied = runtime::ApplyPlan(DepsPlan(project), desired, pool, options);
  REQUIRE(applied.ok());

  runtime::ContainerInfo db = Inspect(pool, "lab1", project + "-db-1");
  runtime::ContainerInfo web = Inspect(pool, "lab2", project + "-web-1");
  CHECK(db.state.health == "healthy");
  CHECK(web.state.running);
  CHECK(Nanos(web.state.started_at) >= FirstHealthyAt(db));

  runtime::ContainerInfo migrate = Inspect(pool, "lab3", project + "-migrate-1");
  runtime::ContainerInfo api = Inspect(pool, "lab3", project + "-api-1");
  CHECK(migrate.state.status == "exited");
  CHECK(migrate.state.exit_code == 0);
  CHECK(api.state.running);
  CHECK(Nanos(api.state.started_at) >= Nanos(migrate.state.finished_at));

  CHECK(DockerOf(pool, "lab1").InspectVolume(project + "_data").ok());
  for (const char* host : {"lab1", "lab2", "lab3"})
    CHECK(DockerOf(pool, host).InspectNetwork(project + "_default").ok());
}

// Observes the project, places it and plans `up`, as `baton up` does.
planner::Plan PlanUp(const planner::DesiredState& desired, HostPool& pool) {
  planner::ActualState actual = runtime::ObserveProject(desired, pool);
  for (const planner::HostState& host : actual.hosts)
    if (!host.reachable) WARN("observe: " + host.name + ": " + host.error);
  planner::Placement placement = planner::Place(desired, actual);
  return planner::MakeUpPlan(desired, actual, placement, planner::UpOptions{});
}

TEST_CASE("apply lab: a planner-built plan converges, and planning again finds nothing to do",
          "[lab][apply]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  HostPool pool = OpenLab(*lab);
  const std::string project = "apply-planned";
  ProjectCleanup cleanup(pool, project);
  planner::DesiredState desired = LoadDesired(project, R"(
services:
  db:
    image: baton/busybox:lab
    command: ["sleep", "3600"]
    healthcheck: {test: ["CMD", "true"], interval: 1s}
    volumes: ["data:/data"]
  web:
    image: baton/busybox:lab
    command: ["sleep", "3600"]
    deploy: {replicas: 3}
    depends_on: {db: {condition: service_healthy}}
volumes:
  data: {}
)");
  planner::Plan plan = PlanUp(desired, pool);
  REQUIRE(plan.unplaced.empty());
  runtime::ApplyOptions options;
  options.wait_timeout = std::chrono::seconds(60);
  REQUIRE(runtime::ApplyPlan(plan, desired, pool, options).ok());

  planner::Plan again = PlanUp(desired, pool);
  for (const std::string& host : again.unreachable_hosts) FAIL_CHECK("unreachable: " + host);
  for (const planner::Action& a : again.actions)
    FAIL_CHECK(planner::ActionKindName(a.kind) + " " + a.name + " on " + a.host + ": " + a.reason);
  CHECK(again.empty());
}

TEST_CASE("apply lab: a second deployer is refused naming the holder until the lock is broken",
          "[lab][apply]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  HostPool pool = OpenLab(*lab);
  const std::string project = "apply-lock";
  struct BreakAtEnd {
    HostPool& pool;
    std::string project;
    ~BreakAtEnd() { (void)runtime::DeployLock::Break(pool, project); }
  } break_at_end{pool, project};

  auto first = runtime::DeployLock::Acquire(pool, project, "alice@laptop pid 1");
  REQUIRE(first.ok());
  auto holders = runtime::DeployLock::Holders(pool, project);
  REQUIRE(holders.ok());
  CHECK(holders->size() == 3);

  auto second = runtime::DeployLock::Acquire(pool, project, runtime::ThisProcessHolder());
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().kind == Error::Kind::kConflict);
  CHECK(second.error().message.starts_with(
      "project apply-lock is being deployed by alice@laptop pid 1 since "));
  CHECK(second.error().message.ends_with(
      " (lock on lab1); if that deploy is dead, run `baton unlock`"));
  // A lock container is no compose container: ps and observe do not see it.
  auto listed = DockerOf(pool, "lab1")
                    .ListContainers(true, {{"label", {"com.docker.compose.project=" + project}}});
  REQUIRE(listed.ok());
  CHECK(listed->empty());

  REQUIRE(runtime::DeployLock::Break(pool, project).ok());
  CHECK(runtime::DeployLock::Holders(pool, project)->empty());
  auto third = runtime::DeployLock::Acquire(pool, project, runtime::ThisProcessHolder());
  REQUIRE(third.ok());
  REQUIRE(third->Release().ok());
  CHECK(runtime::DeployLock::Holders(pool, project)->empty());
}

TEST_CASE("apply lab: a push copies an image from one engine to another", "[lab][apply]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  HostPool pool = OpenLab(*lab);
  const std::string image = "apply-test/pushed:1";
  DockerClient& lab1 = DockerOf(pool, "lab1");
  DockerClient& lab2 = DockerOf(pool, "lab2");
  struct Untag {
    DockerClient& lab1;
    DockerClient& lab2;
    std::string image;
    ~Untag() {
      (void)lab1.RemoveImage(image);
      (void)lab2.RemoveImage(image);
    }
  } untag{lab1, lab2, image};
  REQUIRE(lab2.RemoveImage(image).ok());
  REQUIRE(lab1.TagImage("baton/busybox:lab", image).ok());
  REQUIRE(lab2.InspectImage(image).error().kind == Error::Kind::kNotFound);

  planner::Plan plan;
  plan.project = "apply-push";
  plan.actions = {Act(ActionKind::kPushImage, "lab2", image, {})};
  std::vector<std::string> texts;
  runtime::ApplyOptions options;
  options.push_source = &lab1;
  options.on_progress = [&](const runtime::ApplyProgress& p) { texts.push_back(p.text); };
  REQUIRE(runtime::ApplyPlan(plan, planner::DesiredState{}, pool, options).ok());
  auto pushed = lab2.InspectImage(image);
  REQUIRE(pushed.ok());
  CHECK(pushed->id == lab1.InspectImage(image)->id);
  REQUIRE(texts.size() >= 3);
  CHECK(texts[texts.size() - 2].starts_with("pushing "));
}

}  // namespace
}  // namespace baton::lab_test
