// Issue 8 end to end (design section 6): `build:`, project files in bind
// mounts, secrets and configs, with the built baton binary against the
// shared 3-host lab. Each case copies testdata/build-files to a temp dir,
// writes fresh random secret values there, uses its own project b8-<case>-
// <pid>, checks the hosts through their own sockets and takes the project
// down at the end.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "lab_fixture.h"
#include "planner/labels.h"
#include "runtime/docker_client.h"

namespace baton::lab_test {
namespace {

namespace fs = std::filesystem;
const fs::path kFixture = fs::path(BATON_SOURCE_DIR) / "testdata/build-files";

std::string RandomHex() {
  std::random_device random;
  std::string hex;
  for (int i = 0; i < 32; ++i) hex += "0123456789abcdef"[random() % 16];
  return hex;
}

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A copy of the fixture with its secrets, a project name, and `down` plus
// the removal of the copy when the case ends.
struct Project {
  const Lab& lab;
  std::string name;
  fs::path dir;
  std::string password = RandomHex();
  std::string api_key = RandomHex();
  std::string printed;  // every byte baton printed, for the secrets check

  Project(const Lab& l, const std::string& tag)
      : lab(l), name("b8-" + tag + "-" + std::to_string(::getpid())) {
    dir = fs::temp_directory_path() / name;
    fs::remove_all(dir);
    fs::copy(kFixture, dir, fs::copy_options::recursive);
    WriteFile(dir / "secrets/db-password.txt", password);
    ::setenv("B8_API_KEY", api_key.c_str(), 1);
  }
  // Not `down --rmi`: that would also remove the lab's shared
  // baton/busybox:lab, which worker runs.
  ~Project() {
    Run({"down", "-v"});
    RemoveBuiltImages();
    fs::remove_all(dir);
  }
  // The built image's names (its digest tags and <project>-web:latest) on
  // every host. It runs in a destructor: Engines' failure must not escape.
  void RemoveBuiltImages() try {
    for (auto& [host, engine] : Engines(lab)) {
      auto images = engine.ListImages({{"reference", {name + "-web"}}});
      if (!images.ok()) continue;
      for (const runtime::ImageInfo& image : *images)
        for (const std::string& tag : image.repo_tags) (void)engine.RemoveImage(tag);
    }
  } catch (...) {
  }
  ProgramRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"-f", (dir / "compose.yaml").string(), "-p", name});
    ProgramRun run = RunBaton(lab, args);
    printed += run.out + run.err;
    return run;
  }
};

runtime::Filters Label(const std::string& key, const std::string& value) {
  return {{"label", {key + "=" + value}}};
}

// Container name -> (host, id) of the project's containers.
std::map<std::string, std::pair<std::string, std::string>> Containers(const Lab& lab,
                                                                      const std::string& project) {
  std::map<std::string, std::pair<std::string, std::string>> found;
  for (auto& [host, engine] : Engines(lab)) {
    auto list = engine.ListContainers(true, Label(planner::labels::kProject, project));
    REQUIRE(list.ok());
    for (const runtime::ContainerSummary& c : *list) found[c.name] = {host, c.id};
  }
  return found;
}

std::string Exec(runtime::DockerClient& engine, const std::string& id,
                 std::vector<std::string> cmd) {
  runtime::ExecSpec spec;
  spec.cmd = std::move(cmd);
  auto result = engine.Exec(id, spec);
  REQUIRE(result.ok());
  return result->output.out;
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::map<std::string, int> KindsOf(const std::string& plan_json) {
  std::map<std::string, int> kinds;
  nlohmann::json plan = nlohmann::json::parse(plan_json);  // outlives the loop's range
  for (const auto& action : plan["actions"])
    ++kinds[action["kind"].get<std::string>()];
  return kinds;
}

// What the project left on the hosts (case 6): containers, networks and
// volumes of the project or its copies, and upload helpers.
std::vector<std::string> Leftovers(const Lab& lab, const std::string& project) {
  std::vector<std::string> left;
  for (auto& [host, engine] : Engines(lab)) {
    for (const auto& filters : {Label(planner::labels::kProject, project),
                                Label(planner::labels::kFilesProject, project)}) {
      auto containers = engine.ListContainers(true, filters);
      auto networks = engine.ListNetworks(filters);
      auto volumes = engine.ListVolumes(filters);
      REQUIRE(containers.ok());
      REQUIRE(networks.ok());
      REQUIRE(volumes.ok());
      for (const auto& c : *containers) left.push_back("container " + c.name + " on " + host);
      for (const auto& n : *networks) left.push_back("network " + n.name + " on " + host);
      for (const auto& v : *volumes) left.push_back("volume " + v.name + " on " + host);
    }
  }
  return left;
}

void CheckWebReplica(runtime::DockerClient& engine, const std::string& id, const Project& p) {
  CHECK(Exec(engine, id, {"cat", "/etc/nginx/nginx.conf"}) ==
        ReadFile(p.dir / "nginx/nginx.conf"));
  CHECK(Exec(engine, id, {"cat", "/srv/site/index.html"}) == ReadFile(p.dir / "site/index.html"));
  CHECK(Exec(engine, id, {"cat", "/run/secrets/db-password"}) == p.password);
  CHECK(Exec(engine, id, {"stat", "-c", "%a %u %g", "/run/secrets/db-password"}) == "444 0 0\n");
  CHECK(Exec(engine, id, {"cat", "/etc/app/api.key"}) == p.api_key);
  CHECK(Exec(engine, id, {"stat", "-c", "%a %u %g", "/etc/app/api.key"}) == "400 1000 1000\n");
  CHECK(Exec(engine, id, {"stat", "-c", "%a %u %g", "/app-config"}) == "444 0 0\n");
  CHECK(Exec(engine, id, {"cat", "/etc/motd"}) == "welcome to " + p.name);
  CHECK(Exec(engine, id, {"stat", "-c", "%a %u %g", "/etc/motd"}) == "440 0 0\n");
  CHECK(Exec(engine, id, {"cat", "/greeting"}) == "hello\n");
  CHECK(Exec(engine, id, {"ls", "/app"}).find("keep.tmp") != std::string::npos);
  std::string app = Exec(engine, id, {"ls", "-a", "/app"});
  CHECK(app.find("drop.tmp") == std::string::npos);
  CHECK(app.find("node_modules") == std::string::npos);
}

// Service name -> ids of its containers.
std::map<std::string, std::set<std::string>> IdsByService(const Lab& lab, const Project& p) {
  std::map<std::string, std::set<std::string>> ids;
  for (const auto& [name, where] : Containers(lab, p.name)) {
    std::string service = name.substr(p.name.size() + 1);
    ids[service.substr(0, service.rfind('-'))].insert(where.second);
  }
  return ids;
}

// Cases 1 and 2: the plan builds once and pushes twice, and `up` runs one
// web replica per host from one image, with every file, secret and config.
void CheckFirstUp(const Lab& lab, Project& p) {
  ProgramRun plan = p.Run({"plan", "--format", "json"});
  REQUIRE(plan.exit_code == 0);
  std::map<std::string, int> kinds = KindsOf(plan.out);
  CHECK(kinds["build_image"] == 1);
  CHECK(kinds["push_image"] == 2);
  ProgramRun up = p.Run({"up", "-d"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(Count(up.err, "web | Step 1/") == 1);
  std::map<std::string, int> per_host;
  std::set<std::string> image_ids;
  auto engines = Engines(lab);
  for (const auto& [name, where] : Containers(lab, p.name)) {
    ++per_host[where.first + (name.find("-web-") != std::string::npos ? " web" : " worker")];
    if (name.find("-web-") == std::string::npos) continue;
    auto info = engines.at(where.first).InspectContainer(where.second);
    REQUIRE(info.ok());
    image_ids.insert(info->image_id);
    CheckWebReplica(engines.at(where.first), where.second, p);
  }
  CHECK(per_host["lab1 web"] == 1);
  CHECK(per_host["lab2 web"] == 1);
  CHECK(per_host["lab3 web"] == 1);
  CHECK(per_host["lab1 worker"] + per_host["lab2 worker"] + per_host["lab3 worker"] == 2);
  CHECK(image_ids.size() == 1);
}

// Case 3, on a deployed project: an unchanged or only ignored-file change is
// nothing to do; a build context edit recreates web only.
void CheckContentEdits(const Lab& lab, Project& p) {
  ProgramRun again = p.Run({"up", "-d"});
  CHECK(again.out.find("nothing to change") != std::string::npos);
  CHECK(again.err.find("Step") == std::string::npos);
  WriteFile(p.dir / "web/drop.tmp", "changed\n");
  CHECK(p.Run({"up", "-d"}).out.find("nothing to change") != std::string::npos);
  auto before = IdsByService(lab, p);
  WriteFile(p.dir / "web/index.html", "<h1>web 2</h1>\n");
  REQUIRE(p.Run({"up", "-d"}).exit_code == 0);
  auto after = IdsByService(lab, p);
  CHECK(after["worker"] == before["worker"]);
  CHECK(after["web"].size() == 3);
  for (const std::string& id : after["web"]) CHECK(before["web"].count(id) == 0);
}

// Each host keeps only the copies its containers mount (and their markers).
void CheckOnlyMountedCopiesKept(std::map<std::string, runtime::DockerClient>& engines,
                                const Project& p) {
  for (auto& [host, engine] : engines) {
    auto volumes = engine.ListVolumes(Label(planner::labels::kFilesProject, p.name));
    REQUIRE(volumes.ok());
    std::set<std::string> used;
    auto containers = engine.ListContainers(true, Label(planner::labels::kProject, p.name));
    REQUIRE(containers.ok());
    for (const auto& c : *containers) {
      auto info = engine.InspectContainer(c.id);
      REQUIRE(info.ok());
      auto files = info->labels.find(planner::labels::kFiles);
      if (files == info->labels.end()) continue;
      for (const auto& digest : nlohmann::json::parse(files->second))
        used.insert(digest.get<std::string>().substr(0, 16));
    }
    for (const auto& volume : *volumes) {
      INFO(host << " " << volume.name);
      std::string short_digest = volume.name.substr(volume.name.rfind('-') + 1, 16);
      CHECK(used.count(short_digest) == 1);
    }
  }
}

// Case 4, on a deployed project: a project file edit re-uploads it and
// recreates only web.
void CheckProjectFileEdit(const Lab& lab, Project& p) {
  auto before = IdsByService(lab, p);
  WriteFile(p.dir / "nginx/nginx.conf", "events { worker_connections 64; }\n");
  ProgramRun plan = p.Run({"plan", "--format", "json"});
  REQUIRE(plan.exit_code == 0);
  nlohmann::json json = nlohmann::json::parse(plan.out);
  std::map<std::string, int> uploads, removals;
  int recreates = 0;
  for (const auto& action : json["actions"]) {
    if (action["kind"] == "recreate_container") {
      ++recreates;
      CHECK(action["service"] == "web");
      CHECK(action["reason"] == "volumes changed");
    }
    if (action["kind"] == "upload_files") ++uploads[action["host"].get<std::string>()];
    if (action["kind"] == "remove_files") ++removals[action["host"].get<std::string>()];
  }
  CHECK(recreates == 3);
  CHECK(uploads == std::map<std::string, int>{{"lab1", 1}, {"lab2", 1}, {"lab3", 1}});
  CHECK(removals == std::map<std::string, int>{{"lab1", 1}, {"lab2", 1}, {"lab3", 1}});
  REQUIRE(p.Run({"up", "-d"}).exit_code == 0);
  CHECK(IdsByService(lab, p)["worker"] == before["worker"]);
  auto engines = Engines(lab);
  for (const auto& [name, where] : Containers(lab, p.name))
    if (name.find("-web-") != std::string::npos)
      CHECK(Exec(engines.at(where.first), where.second, {"cat", "/etc/nginx/nginx.conf"}) ==
            "events { worker_connections 64; }\n");
  CheckOnlyMountedCopiesKept(engines, p);
}

// Case 5, on a deployed project: a config edit recreates all its users (and
// is applied), a secret edit then plans web only. Returns the new secret.
std::string CheckConfigAndSecretEdits(Project& p) {
  WriteFile(p.dir / "config/app.ini", "[app]\nmode = changed\n");
  nlohmann::json plan = nlohmann::json::parse(p.Run({"plan", "--format", "json"}).out);
  std::map<std::string, int> recreated;
  for (const auto& action : plan["actions"])
    if (action["kind"] == "recreate_container") {
      ++recreated[action["service"].get<std::string>()];
      CHECK(action["reason"] == "configs changed");
    }
  CHECK(recreated == std::map<std::string, int>{{"web", 3}, {"worker", 2}});
  REQUIRE(p.Run({"up", "-d"}).exit_code == 0);
  std::string new_password = RandomHex();
  WriteFile(p.dir / "secrets/db-password.txt", new_password);
  plan = nlohmann::json::parse(p.Run({"plan", "--format", "json"}).out);
  recreated.clear();
  for (const auto& action : plan["actions"])
    if (action["kind"] == "recreate_container") {
      ++recreated[action["service"].get<std::string>()];
      CHECK(action["reason"] == "secrets changed");
    }
  CHECK(recreated == std::map<std::string, int>{{"web", 3}});
  return new_password;
}

// Every place a secret could leak to (case 7).
std::string EverythingOnTheHosts(const Lab& lab, const std::string& project,
                                 const std::string& since) {
  std::string seen;
  for (auto& [host, engine] : Engines(lab)) {
    auto containers = engine.ListContainers(true, Label(planner::labels::kProject, project));
    REQUIRE(containers.ok());
    for (const auto& c : *containers) {
      auto info = engine.InspectContainer(c.id);
      REQUIRE(info.ok());
      for (const auto& [key, value] : info->labels) seen += key + "=" + value + "\n";
      seen += info->raw["Config"]["Env"].dump() + "\n";
      auto image = engine.InspectImage(info->image_id);
      if (image.ok())
        for (const auto& [key, value] : image->labels) seen += key + "=" + value + "\n";
    }
    auto volumes = engine.ListVolumes(Label(planner::labels::kFilesProject, project));
    REQUIRE(volumes.ok());
    for (const auto& v : *volumes)
      for (const auto& [key, value] : v.labels) seen += key + "=" + value + "\n";
    runtime::EventsOptions events;
    events.since = since;
    events.until = std::to_string(std::time(nullptr));
    Status streamed = engine.StreamEvents(events, [&seen](const runtime::DockerEvent& event) {
      seen += event.raw.dump() + "\n";
      return true;
    });
    CHECK(streamed.ok());
  }
  return seen;
}

// One project goes through cases 1 to 7 in turn, since each of them starts
// from a deployed project and a build with its pushes costs seconds: every
// output of every step and every event of the whole run is searched for the
// secrets (case 7), and `down` leaves nothing at the end (case 6).
TEST_CASE(
    "build files: up builds and delivers files and secrets and configs and only edits recreate "
    "their users and no secret leaks and down leaves nothing (cases 1 to 7)",
    "[lab][build-files]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  std::string since = std::to_string(std::time(nullptr) - 1);
  Project p(*lab, "up");
  p.Run({"plan"});
  CheckFirstUp(*lab, p);
  p.Run({"ps"});
  p.Run({"ps", "--format", "json"});
  p.Run({"config"});
  p.Run({"logs"});
  CheckContentEdits(*lab, p);
  CheckProjectFileEdit(*lab, p);
  std::string new_password = CheckConfigAndSecretEdits(p);
  std::string hosts = EverythingOnTheHosts(*lab, p.name, since);
  REQUIRE(p.Run({"down"}).exit_code == 0);
  CHECK(Leftovers(*lab, p.name).empty());
  for (const std::string& secret : {p.password, p.api_key, new_password}) {
    CHECK(p.printed.find(secret) == std::string::npos);
    CHECK(hosts.find(secret) == std::string::npos);
  }
}

TEST_CASE("build files: a missing host path with create_host_path false fails up (case 8)",
          "[lab][build-files]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  Project p(*lab, "hp");
  WriteFile(p.dir / "compose.yaml",
            "services:\n"
            "  x:\n"
            "    image: baton/busybox:lab\n"
            "    command: [\"sleep\", \"3600\"]\n"
            "    deploy: {placement: {constraints: [node.hostname == lab1]}}\n"
            "    volumes:\n"
            "      - {type: bind, source: /nonexistent-b8, target: /x,"
            " bind: {create_host_path: false}}\n");
  ProgramRun plan = p.Run({"plan"});
  CHECK(plan.exit_code == 0);
  CHECK(plan.out.find("note: ") != std::string::npos);
  ProgramRun up = p.Run({"up", "-d"});
  INFO(up.err);
  CHECK(up.exit_code == 1);
  std::string expected = "host lab1: create " + p.name +
                         "-x-1: bind source /nonexistent-b8 does not exist on host lab1 "
                         "(create_host_path: false)\n";
  CHECK(up.err.ends_with(expected));
}

TEST_CASE("build files: --build-local builds on the local engine and pushes (case 9)",
          "[lab][build-files]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const char* socket = std::getenv("BATON_TEST_DOCKER_SOCKET");
  if (socket == nullptr) return;
  ::setenv("DOCKER_HOST", ("unix://" + std::string(socket)).c_str(), 1);
  Project p(*lab, "local");
  ProgramRun plan = p.Run({"plan", "--build-local", "--format", "json"});
  ::unsetenv("DOCKER_HOST");
  REQUIRE(plan.exit_code == 0);
  nlohmann::json json = nlohmann::json::parse(plan.out);
  std::map<std::string, std::string> pushes;  // host -> source
  int local_builds = 0;
  for (const auto& action : json["actions"]) {
    if (action["kind"] == "build_image") local_builds += action["host"] == "" ? 1 : 0;
    if (action["kind"] == "push_image")
      pushes[action["host"].get<std::string>()] = action["source_host"].get<std::string>();
  }
  CHECK(local_builds == 1);
  CHECK(pushes.count("lab2") == 1);
  CHECK(pushes.count("lab3") == 1);
  ::setenv("DOCKER_HOST", ("unix://" + std::string(socket)).c_str(), 1);
  ProgramRun up = p.Run({"up", "-d", "--build-local"});
  ::unsetenv("DOCKER_HOST");
  INFO(up.err);
  CHECK(up.exit_code == 0);
  CHECK(Count(up.err, "web | Step 1/") == 1);
}

}  // namespace
}  // namespace baton::lab_test
