// DockerClient against a real engine: one of the lab's dockerd sockets, named
// by BATON_TEST_DOCKER_SOCKET (e.g. $BATON_LAB_DIR/hosts/lab1/run/docker.sock).
// Without it every case warns and checks nothing. Uses the image the lab
// loads, baton/busybox:lab, and removes everything it creates.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/docker_client.h"
#include "lab_fixture.h"

namespace baton::runtime {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kImage = "baton/busybox:lab";

using lab_test::LabDocker;

// Names unique to this run, so parallel runs and leftovers never collide.
std::string Unique(const std::string& what) {
  return "baton-dct-" + std::to_string(::getpid()) + "-" + what;
}

// Removes what a test made, on every way out of it.
struct Cleanup {
  DockerClient& docker;
  std::vector<std::string> containers, networks, volumes;
  ~Cleanup() {
    RemoveContainerOptions force;
    force.force = true;
    force.volumes = true;
    for (const auto& c : containers) (void)docker.RemoveContainer(c, force);
    for (const auto& n : networks) (void)docker.RemoveNetwork(n);
    for (const auto& v : volumes) (void)docker.RemoveVolume(v, true);
  }
};

ContainerSpec Busybox(const std::string& name, std::vector<std::string> cmd) {
  ContainerSpec spec;
  spec.name = name;
  spec.image = kImage;
  spec.cmd = std::move(cmd);
  spec.labels = {{"baton.test", Unique("run")}};
  return spec;
}

// Polls `ready` for up to five seconds: logs and state trail the start a little.
template <typename F>
bool Eventually(F ready) {
  for (int i = 0; i < 100; ++i) {
    if (ready()) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return false;
}

TEST_CASE("docker lab: connect negotiates the api and info has the host's figures",
          "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  CHECK(docker->api_version() >= kOldestApi);
  CHECK(docker->Ping().ok());
  Result<SystemInfo> info = docker->Info();
  REQUIRE(info.ok());
  CHECK(info->cpus > 0);
  CHECK(info->memory_bytes > 0);
  CHECK(info->os_type == "linux");
  CHECK_FALSE(info->architecture.empty());
  CHECK(info->containers_running >= 0);
}

// Creates and starts `name`, which prints "out" and "err" and then sleeps.
std::string StartTalker(DockerClient& docker, const std::string& name) {
  Result<ContainerCreated> created =
      docker.CreateContainer(Busybox(name, {"sh", "-c", "echo out; echo err >&2; exec sleep 300"}));
  REQUIRE(created.ok());
  REQUIRE(docker.StartContainer(name).ok());
  return created->id;
}

TEST_CASE("docker lab: starting a running container succeeds", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("start");
  Cleanup cleanup{*docker, {name}, {}, {}};
  StartTalker(*docker, name);
  CHECK(docker->StartContainer(name).ok());
  Result<ContainerInfo> info = docker->InspectContainer(name);
  REQUIRE(info.ok());
  CHECK(info->state.running);
  CHECK(info->image == kImage);
}

TEST_CASE("docker lab: logs keep stdout and stderr apart", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("logs");
  Cleanup cleanup{*docker, {name}, {}, {}};
  StartTalker(*docker, name);
  CapturedOutput logs;
  Eventually([&] {
    auto l = docker->ReadLogs(name);
    if (l.ok()) logs = *l;
    return logs.out == "out\n" && logs.err == "err\n";
  });
  CHECK(logs.out == "out\n");
  CHECK(logs.err == "err\n");
}

TEST_CASE("docker lab: stats of a running container count its processes", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("stats");
  Cleanup cleanup{*docker, {name}, {}, {}};
  StartTalker(*docker, name);
  Result<ContainerStats> stats = docker->ReadStats(name);
  REQUIRE(stats.ok());
  CHECK(stats->pids >= 1);
  CHECK(stats->cpu_total_ns > 0);
}

TEST_CASE("docker lab: exec returns the command's exit code and output", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("exec");
  Cleanup cleanup{*docker, {name}, {}, {}};
  StartTalker(*docker, name);
  ExecSpec exec;
  exec.cmd = {"sh", "-c", "echo hi; echo oops >&2; exit 3"};
  Result<ExecResult> ran = docker->Exec(name, exec);
  REQUIRE(ran.ok());
  CHECK(ran->exit_code == 3);
  CHECK(ran->output.out == "hi\n");
  CHECK(ran->output.err == "oops\n");
}

TEST_CASE("docker lab: list finds a container by its label", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("listed");
  Cleanup cleanup{*docker, {name}, {}, {}};
  std::string id = StartTalker(*docker, name);
  auto listed = docker->ListContainers(false, {{"label", {"baton.test=" + Unique("run")}}});
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].name == name);
  CHECK((*listed)[0].id == id);
}

TEST_CASE("docker lab: stop and remove succeed again once done", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("stop");
  Cleanup cleanup{*docker, {name}, {}, {}};
  StartTalker(*docker, name);
  REQUIRE(docker->StopContainer(name, seconds(1)).ok());
  CHECK(docker->StopContainer(name, seconds(1)).ok());
  Result<ContainerInfo> stopped = docker->InspectContainer(name);
  REQUIRE(stopped.ok());
  CHECK(stopped->state.status == "exited");
  REQUIRE(docker->RemoveContainer(name).ok());
  CHECK(docker->RemoveContainer(name).ok());
  Result<ContainerInfo> gone = docker->InspectContainer(name);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().kind == Error::Kind::kNotFound);
}

TEST_CASE("docker lab: a taken container name is a conflict in docker's words",
          "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("twice");
  Cleanup cleanup{*docker, {name}, {}, {}};
  Result<ContainerCreated> first = docker->CreateContainer(Busybox(name, {"true"}));
  REQUIRE(first.ok());
  Result<ContainerCreated> second = docker->CreateContainer(Busybox(name, {"true"}));
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().kind == Error::Kind::kConflict);
  CHECK(second.error().Within("create container " + name).ToString() ==
        "host lab1: create container " + name + ": 409 Conflict: Conflict. The container name \"/" +
            name + "\" is already in use by container \"" + first->id +
            "\". You have to remove (or rename) that container to be able to reuse that name.");
}

TEST_CASE("docker lab: wait returns a finished container's exit code", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("exit7");
  Cleanup cleanup{*docker, {name}, {}, {}};
  REQUIRE(docker->CreateContainer(Busybox(name, {"sh", "-c", "exit 7"})).ok());
  REQUIRE(docker->StartContainer(name).ok());
  Result<std::int64_t> code = docker->WaitContainer(name, seconds(20));
  REQUIRE(code.ok());
  CHECK(*code == 7);
}

TEST_CASE("docker lab: logs of a tty container arrive raw", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("tty");
  Cleanup cleanup{*docker, {name}, {}, {}};
  ContainerSpec spec = Busybox(name, {"sh", "-c", "echo on-a-tty"});
  spec.extra = {{"Tty", true}};
  REQUIRE(docker->CreateContainer(spec).ok());
  REQUIRE(docker->StartContainer(name).ok());
  REQUIRE(docker->WaitContainer(name, seconds(20)).ok());
  Result<CapturedOutput> logs = docker->ReadLogs(name);
  REQUIRE(logs.ok());
  CHECK(logs->out == "on-a-tty\r\n");
  CHECK(logs->err.empty());
}

TEST_CASE("docker lab: events report a container's start and death", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("events");
  Cleanup cleanup{*docker, {name}, {}, {}};
  EventsOptions options;
  options.since = std::to_string(std::time(nullptr) - 1);
  options.filters = {{"type", {"container"}}, {"container", {name}}};
  std::vector<std::string> actions;
  std::stop_source give_up;
  std::thread guard([&] {  // never let a missing event hang the test
    for (int i = 0; i < 200 && !give_up.stop_requested(); ++i)
      std::this_thread::sleep_for(milliseconds(100));
    give_up.request_stop();
  });
  std::thread actor([&] {
    if (docker->CreateContainer(Busybox(name, {"true"})).ok()) (void)docker->StartContainer(name);
  });
  Status s = docker->StreamEvents(
      options,
      [&](const DockerEvent& e) {
        actions.push_back(e.action);
        return e.action != "die";
      },
      give_up.get_token());
  actor.join();
  give_up.request_stop();
  guard.join();
  REQUIRE(s.ok());
  CHECK(actions == std::vector<std::string>{"create", "start", "die"});
}

TEST_CASE("docker lab: an image saves and loads back", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string tar;
  REQUIRE(docker
              ->SaveImages({kImage},
                           [&](std::string_view data) {
                             tar += data;
                             return Status::Ok();
                           })
              .ok());
  CHECK(tar.size() > 100000);
  std::size_t at = 0;
  Result<std::vector<std::string>> names = docker->LoadImages([&](std::span<char> buffer) {
    std::size_t n = std::min(buffer.size(), tar.size() - at);
    std::copy_n(tar.data() + at, n, buffer.data());
    at += n;
    return Result<std::size_t>(n);
  });
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{kImage});
  Result<ImageInfo> image = docker->InspectImage(kImage);
  REQUIRE(image.ok());
  CHECK(image->id.starts_with("sha256:"));
  CHECK(std::find(image->repo_tags.begin(), image->repo_tags.end(), kImage) !=
        image->repo_tags.end());
}

TEST_CASE("docker lab: a pull that cannot reach its registry fails", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  Status s = docker->PullImage("127.0.0.1:1/baton/nothing:here");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kInternal);
  CHECK(s.error().ToString() ==
        "host lab1: 500 Internal Server Error: Get \"http://127.0.0.1:1/v2/\": dial tcp "
        "127.0.0.1:1: connect: connection refused");
}

TEST_CASE("docker lab: a network is created, joined, left and removed", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string net = Unique("net"), name = Unique("member");
  Cleanup cleanup{*docker, {name}, {net}, {}};
  NetworkSpec spec;
  spec.name = net;
  spec.labels = {{"baton.test", "1"}};
  Result<std::string> id = docker->CreateNetwork(spec);
  REQUIRE(id.ok());
  Result<std::string> again = docker->CreateNetwork(spec);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind == Error::Kind::kConflict);

  REQUIRE(docker->CreateContainer(Busybox(name, {"sleep", "300"})).ok());
  REQUIRE(docker->StartContainer(name).ok());
  EndpointSpec endpoint;
  endpoint.aliases = {"web"};
  REQUIRE(docker->ConnectNetwork(net, name, endpoint).ok());
  Result<ContainerInfo> joined = docker->InspectContainer(name);
  REQUIRE(joined.ok());
  REQUIRE(joined->networks.contains(net));
  CHECK(joined->networks[net].network_id == *id);
  CHECK(std::find(joined->networks[net].aliases.begin(), joined->networks[net].aliases.end(),
                  "web") != joined->networks[net].aliases.end());
  Result<NetworkInfo> info = docker->InspectNetwork(net);
  REQUIRE(info.ok());
  CHECK(info->members.contains(joined->id));
  CHECK(info->labels.at("baton.test") == "1");
  auto listed = docker->ListNetworks({{"name", {net}}});
  REQUIRE(listed.ok());
  CHECK(listed->size() == 1);

  REQUIRE(docker->DisconnectNetwork(net, name).ok());
  REQUIRE(docker->RemoveNetwork(net).ok());
  CHECK(docker->RemoveNetwork(net).ok());  // already gone
  Result<NetworkInfo> gone = docker->InspectNetwork(net);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().kind == Error::Kind::kNotFound);
}

TEST_CASE("docker lab: a container created on two networks joins both", "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string front = Unique("front"), back = Unique("back"), name = Unique("two-nets");
  Cleanup cleanup{*docker, {name}, {front, back}, {}};
  for (const std::string& n : {front, back}) {
    NetworkSpec spec;
    spec.name = n;
    REQUIRE(docker->CreateNetwork(spec).ok());
  }
  ContainerSpec spec = Busybox(name, {"sleep", "300"});
  spec.networks[front].aliases = {"web"};
  spec.networks[back].aliases = {"api"};
  REQUIRE(docker->CreateContainer(spec).ok());
  Result<ContainerInfo> info = docker->InspectContainer(name);
  REQUIRE(info.ok());
  CHECK(info->networks.contains(front));
  CHECK(info->networks.contains(back));
}

TEST_CASE("docker lab: a volume is created once, listed by label and removed",
          "[lab][docker-lab]") {
  auto docker = LabDocker();
  if (!docker) return;
  std::string name = Unique("vol");
  Cleanup cleanup{*docker, {}, {}, {name}};
  VolumeSpec spec;
  spec.name = name;
  spec.labels = {{"baton.test", Unique("run")}};
  Result<VolumeInfo> created = docker->CreateVolume(spec);
  REQUIRE(created.ok());
  CHECK(created->driver == "local");
  CHECK(docker->CreateVolume(spec).ok());  // same name: the existing volume
  auto listed = docker->ListVolumes({{"label", {"baton.test=" + Unique("run")}}});
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].name == name);
  Result<VolumeInfo> inspected = docker->InspectVolume(name);
  REQUIRE(inspected.ok());
  CHECK(inspected->mountpoint == created->mountpoint);
  REQUIRE(docker->RemoveVolume(name).ok());
  CHECK(docker->RemoveVolume(name).ok());  // already gone
}

}  // namespace
}  // namespace baton::runtime
