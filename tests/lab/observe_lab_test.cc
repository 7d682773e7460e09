// ObserveProject and MakeContainerSpec against the lab's engines: a project
// made of labelled containers, networks and volumes on lab1..3, read back
// over SSH, beside a host nobody answers. Run by the lab fixture (see
// tests/lab/CMakeLists.txt); without it every case warns and checks
// nothing. Everything is made under the project name "observe-test" and
// removed when the test ends.

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "lab_fixture.h"
#include "runtime/container_spec.h"
#include "runtime/observe.h"
#include "tests/planner/desired_fixture.h"

namespace baton::lab_test {
namespace {

using planner::ActualContainer;
using planner::HostState;
using runtime::DockerClient;
using runtime::HostPool;

constexpr char kProject[] = "observe-test";

constexpr char kCompose[] = R"(name: observe-test
services:
  web:
    image: baton/busybox:lab
    command: [sleep, "300"]
    networks: [front, back]
    ports: ["80"]
    volumes: [data:/data]
    healthcheck: {test: [CMD, "true"], interval: 1s}
    deploy: {replicas: 3, resources: {reservations: {cpus: "0.25", memory: 16M}}}
  job:
    image: baton/busybox:lab
    command: [sh, -c, "exit 3"]
    networks: [back]
  ghost:
    image: baton/ghost:absent
networks:
  front:
  back:
volumes:
  data:
)";

// Removes every container, network and volume of the project from every
// reachable host, also when the test fails half-way.
struct ProjectCleanup {
  HostPool& pool;
  void Run() {
    runtime::Filters project = {{"label", {std::string("com.docker.compose.project=") + kProject}}};
    for (runtime::HostHandle& host : pool.hosts()) {
      if (!host.reachable()) continue;
      DockerClient& docker = *host.docker;
      if (auto list = docker.ListContainers(true, project); list.ok())
        for (const auto& c : *list) (void)docker.RemoveContainer(c.id, {true, true});
      if (auto list = docker.ListContainers(true, {{"label", {"observe-test.other=true"}}});
          list.ok())
        for (const auto& c : *list) (void)docker.RemoveContainer(c.id, {true, true});
      if (auto list = docker.ListNetworks(project); list.ok())
        for (const auto& n : *list) (void)docker.RemoveNetwork(n.id);
      if (auto list = docker.ListVolumes(project); list.ok())
        for (const auto& v : *list) (void)docker.RemoveVolume(v.name, true);
    }
  }
  ~ProjectCleanup() { Run(); }
};

// A host at an address in the lab's subnet that nothing answers.
transport::HostConfig GoneHost(const transport::HostConfig& like) {
  transport::HostConfig gone = like;
  gone.name = "lab-gone";
  gone.ssh.host = "10.209.0.99";
  return gone;
}

// Creates the project's networks and volumes on `docker`, then replica
// `slot` of `service`, and starts it.
void Deploy(DockerClient& docker, const planner::DesiredState& desired, const std::string& host,
            const std::string& service, int slot) {
  for (const planner::NetworkSpec& network : desired.networks) {
    auto made = docker.CreateNetwork(runtime::MakeNetworkSpec(desired, network));
    if (!made.ok()) REQUIRE(made.error().kind == Error::Kind::kConflict);  // made before
  }
  for (const planner::VolumeSpec& volume : desired.volumes)
    REQUIRE(docker.CreateVolume(runtime::MakeVolumeSpec(desired, volume)).ok());
  auto spec = runtime::MakeContainerSpec(desired, planner::testing::Spec(desired, service), slot,
                                         host);
  REQUIRE(spec.ok());
  auto created = docker.CreateContainer(*spec);
  if (!created.ok()) FAIL(created.error().ToString());
  Status started = docker.StartContainer(created->id);
  if (!started.ok()) FAIL(started.error().ToString());
}

// Another project's running container that reserves half a CPU and
// publishes a port the engine picks; returns that port.
uint32_t DeployOther(DockerClient& docker) {
  runtime::ContainerSpec other;
  other.name = "observe-test-other";
  other.image = "baton/busybox:lab";
  other.cmd = std::vector<std::string>{"sleep", "300"};
  other.labels = {{"com.docker.compose.project", "observe-test-other"},
                  {"observe-test.other", "true"},
                  {"baton.managed", "true"},
                  {"baton.reserved-cpus", "0.5"}};
  other.host_config.port_bindings = {{"9000/tcp", "", ""}};
  auto created = docker.CreateContainer(other);
  if (!created.ok()) FAIL(created.error().ToString());
  REQUIRE(docker.StartContainer(created->id).ok());
  auto info = docker.InspectContainer(created->id);
  REQUIRE(info.ok());
  REQUIRE_FALSE(info->ports.empty());
  return static_cast<uint32_t>(std::stoul(info->ports.front().host_port));
}

const ActualContainer* Find(const HostState& host, const std::string& name) {
  for (const ActualContainer& c : host.containers)
    if (c.name == name) return &c;
  return nullptr;
}

// Observes until web-1 on lab1 is healthy and the job has exited, or 20 s pass.
planner::ActualState ObserveSettled(const planner::DesiredState& desired, HostPool& pool) {
  planner::ActualState actual;
  for (int i = 0; i < 40; ++i) {
    actual = runtime::ObserveProject(desired, pool);
    const ActualContainer* web = Find(actual.hosts[0], "observe-test-web-1");
    const ActualContainer* job = Find(actual.hosts[0], "observe-test-job-1");
    if (web && web->health == "healthy" && job && job->state == "exited") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return actual;
}

TEST_CASE("observe lab: a project on three hosts reads back from its labels",
          "[lab][observe]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  REQUIRE(lab->hosts.size() >= 3);
  std::vector<transport::HostConfig> hosts(lab->hosts.begin(), lab->hosts.begin() + 3);
  hosts.push_back(GoneHost(hosts[0]));
  HostPool pool = HostPool::Open(hosts, lab->ssh);
  ProjectCleanup cleanup{pool};
  cleanup.Run();  // leftovers of an earlier, killed run
  for (int i = 0; i < 3; ++i) REQUIRE(pool.hosts()[i].reachable());

  planner::DesiredState desired = planner::testing::Desired(kCompose);
  for (int i = 0; i < 3; ++i) Deploy(*pool.hosts()[i].docker, desired, hosts[i].name, "web", i + 1);
  Deploy(*pool.hosts()[0].docker, desired, "lab1", "job", 1);
  uint32_t other_port = DeployOther(*pool.hosts()[1].docker);

  planner::ActualState actual = ObserveSettled(desired, pool);
  CHECK(actual.project == kProject);
  REQUIRE(actual.hosts.size() == 4);
  const planner::ServiceSpec& web_spec = planner::testing::Spec(desired, "web");
  for (int i = 0; i < 3; ++i) {
    const HostState& host = actual.hosts[i];
    INFO(host.name << ": " << host.error);
    CHECK(host.name == hosts[i].name);
    REQUIRE(host.reachable);
    CHECK(host.labels.at("zone") == hosts[i].labels.at("zone"));
    CHECK_FALSE(host.hostname.empty());
    CHECK(host.os == "linux");
    CHECK(host.cpus > 0);
    CHECK(host.memory > 0);
    CHECK(host.networks == std::set<std::string>{"observe-test_back", "observe-test_default",
                                               "observe-test_front"});
    CHECK(host.volumes == std::set<std::string>{"observe-test_data"});
    CHECK(host.images == std::set<std::string>{"baton/busybox:lab"});
    const ActualContainer* web = Find(host, "observe-test-web-" + std::to_string(i + 1));
    REQUIRE(web != nullptr);
    CHECK(web->service == "web");
    CHECK(web->slot == i + 1);
    CHECK(web->spec_hash == web_spec.spec_hash);
    CHECK(web->part_hashes == web_spec.part_hashes);
    CHECK(web->state == "running");
    CHECK_FALSE(web->started_at.empty());
    REQUIRE(web->ports.size() >= 1);
    CHECK(web->ports.front().starts_with("0.0.0.0:"));
    CHECK(web->ports.front().ends_with("->80/tcp"));
  }
  CHECK(actual.hosts[0].containers.size() == 2);
  CHECK(Find(actual.hosts[0], "observe-test-web-1")->health == "healthy");
  const ActualContainer* job = Find(actual.hosts[0], "observe-test-job-1");
  REQUIRE(job != nullptr);
  CHECK(job->state == "exited");
  CHECK(job->exit_code == 3);
  CHECK(job->health == "");
  // Other projects' use of lab2 (other helpers may run more there).
  CHECK(actual.hosts[1].reserved_cpus_elsewhere >= 0.5);
  CHECK(actual.hosts[1].ports_used_elsewhere.contains({"tcp", other_port}));

  const HostState& gone = actual.hosts[3];
  CHECK(gone.name == "lab-gone");
  CHECK_FALSE(gone.reachable);
  CHECK(gone.error.starts_with("host lab-gone: "));
  CHECK(gone.containers.empty());
}

TEST_CASE("observe lab: a replica on two networks joins both with its aliases",
          "[lab][observe]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  HostPool pool = HostPool::Open({lab->hosts.front()}, lab->ssh);
  ProjectCleanup cleanup{pool};
  cleanup.Run();
  REQUIRE(pool.hosts()[0].reachable());
  DockerClient& docker = *pool.hosts()[0].docker;
  planner::DesiredState desired = planner::testing::Desired(kCompose);
  Deploy(docker, desired, lab->hosts.front().name, "web", 1);
  auto info = docker.InspectContainer("observe-test-web-1");
  REQUIRE(info.ok());
  INFO("engine API " << docker.api_version().ToString());
  REQUIRE(info->networks.size() == 2);
  for (const char* network : {"observe-test_front", "observe-test_back"}) {
    REQUIRE(info->networks.contains(network));
    const auto& aliases = info->networks.at(network).aliases;
    CHECK(std::find(aliases.begin(), aliases.end(), "web") != aliases.end());
  }
}

}  // namespace
}  // namespace baton::lab_test
