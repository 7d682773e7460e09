// `baton watch` as a container on one of the hosts, as the README shows it:
// scripts/watch-image.sh makes the image from this build, `docker import`
// loads it on lab1, and the watcher runs there with the host's network and
// the hosts file mounted read-only.

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <string>

#include "watch_fixture.h"

namespace baton::lab_test {
namespace {

using std::chrono::seconds;

constexpr char kImage[] = "baton/watch:lab-test";
constexpr char kWatcher[] = "w6-container-watch";

constexpr char kCompose[] = R"(services:
  web:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    stop_grace_period: 1s
    deploy:
      replicas: 2
)";

// The watcher container and its image go when the case ends.
struct ContainerCleanup {
  const Lab& lab;
  ~ContainerCleanup() {
    LabDockerCli(lab, "lab1", {"rm", "-f", kWatcher});
    LabDockerCli(lab, "lab1", {"rmi", kImage});
  }
};

TEST_CASE("watch container lab: the watcher runs as a container on a host and heals",
          "[lab][watch-container]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  WatchedProject files(*lab, "w6-container", kCompose);
  std::filesystem::path build = std::filesystem::path(lab->binary).parent_path().parent_path();
  std::string tarball = files.log("image").replace_extension(".tar").string();
  ProgramRun image =
      RunProgram({"/bin/bash", std::string(BATON_SOURCE_DIR) + "/scripts/watch-image.sh", tarball,
                  build.string()});
  INFO(image.out << image.err);
  REQUIRE(image.exit_code == 0);
  ContainerCleanup cleanup{*lab};
  ProgramRun imported = LabDockerCli(
      *lab, "lab1",
      {"import", "--change", R"(ENTRYPOINT ["/usr/local/bin/baton"])", tarball, kImage});
  INFO(imported.out << imported.err);
  REQUIRE(imported.exit_code == 0);

  REQUIRE(files.Baton({"up", "-d"}).exit_code == 0);
  std::string hosts_dir = lab->hosts_file.parent_path().string();
  ProgramRun run =
      LabDockerCli(*lab, "lab1",
                   {"run", "-d", "--name", kWatcher, "--restart", "unless-stopped", "--network",
                    "host", "-v", hosts_dir + ":" + hosts_dir + ":ro", kImage, "--hosts",
                    lab->hosts_file.string(), "-p", files.project(), "watch", "--metrics", "off"});
  INFO(run.out << run.err);
  REQUIRE(run.exit_code == 0);
  auto logs = [&] { return LabDockerCli(*lab, "lab1", {"logs", kWatcher}).err; };
  REQUIRE(WaitUntil([&] { return logs().find("gained") != std::string::npos; }, seconds(20)));

  Found before = FindContainer(*lab, files.project(), "w6-container-web-2");
  REQUIRE(before.state == "running");
  REQUIRE(LabDockerCli(*lab, before.host, {"rm", "-f", before.id}).exit_code == 0);
  bool back = WaitUntil(
      [&] {
        Found now = FindContainer(*lab, files.project(), "w6-container-web-2");
        return !now.id.empty() && now.id != before.id && now.state == "running";
      },
      seconds(15));
  INFO(logs());
  CHECK(back);
  // SIGTERM (docker stop) releases the lease and exits 0.
  REQUIRE(LabDockerCli(*lab, "lab1", {"stop", "-t", "10", kWatcher}).exit_code == 0);
  CHECK(LabDockerCli(*lab, "lab1", {"inspect", "-f", "{{.State.ExitCode}}", kWatcher}).out ==
        "0\n");
  CHECK(logs().find("released") != std::string::npos);
}

}  // namespace
}  // namespace baton::lab_test
