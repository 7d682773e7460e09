#pragma once
// What the watcher's lab tests share (watch_lab_test.cc,
// watch_faults_lab_test.cc): a project in a temporary folder that is taken
// down whatever happens, a `baton watch` child on it, and the project's
// replicas as each lab engine reports them through its own socket (so a host
// whose link is cut is still seen).

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "lab_faults.h"
#include "lab_fixture.h"
#include "planner/labels.h"
#include "runtime/docker_client.h"

namespace baton::lab_test {

// A temporary folder holding compose.yaml and the watchers' logs; the
// project is brought down (down -v) and the folder removed when the case
// ends. Lab tests that run no watcher use it too.
class WatchedProject {
 public:
  WatchedProject(const Lab& lab, std::string project, const std::string& compose)
      : lab_(lab), project_(std::move(project)) {
    char dir[] = "/tmp/baton-watch-lab-XXXXXX";
    REQUIRE(::mkdtemp(dir) != nullptr);
    dir_ = dir;
    std::ofstream(dir_ / "compose.yaml") << compose;
  }
  WatchedProject(const WatchedProject&) = delete;
  WatchedProject& operator=(const WatchedProject&) = delete;
  ~WatchedProject() {
    RunBaton(lab_, {"-p", project_, "down", "-v"});
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  const std::string& project() const { return project_; }
  std::string compose() const { return (dir_ / "compose.yaml").string(); }
  // Replaces compose.yaml (a test that deploys one version after another).
  void Write(const std::string& compose) const { std::ofstream(dir_ / "compose.yaml") << compose; }
  std::filesystem::path log(const std::string& name = "watch") const {
    return dir_ / (name + ".log");
  }
  // `baton -f compose.yaml -p PROJECT args...`
  ProgramRun Baton(std::vector<std::string> args) const {
    args.insert(args.begin(), {"-f", compose(), "-p", project_});
    return RunBaton(lab_, args);
  }
  // A watcher with a short heartbeat and grace (1 s, 3 s) unless `extra`
  // says otherwise, its log in log(name).
  std::unique_ptr<BatonChild> Watch(const std::string& name = "watch",
                                    std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"-p", project_, "watch", "--metrics", "off"};
    if (extra.empty()) extra = {"--heartbeat", "1s", "--grace", "3s"};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<BatonChild>(lab_, args, log(name));
  }

 private:
  const Lab& lab_;
  std::string project_;
  std::filesystem::path dir_;
};

struct Found {
  std::string host;
  std::string id;
  std::string name;
  std::string state;  // "running", "exited", "created", ...
  int slot = 0;
  std::string address;  // on the project's default network, when running
};

// Every container of `service` of `project` on every lab host, running or not.
inline std::vector<Found> ReplicasOf(const Lab& lab, const std::string& project,
                                     const std::string& service) {
  std::vector<Found> found;
  runtime::Filters filters{{"label",
                            {std::string(planner::labels::kProject) + "=" + project,
                             std::string(planner::labels::kService) + "=" + service}}};
  for (auto& [host, engine] : Engines(lab)) {
    auto list = engine.ListContainers(true, filters);
    if (!list.ok()) continue;
    for (const runtime::ContainerSummary& c : *list) {
      Found f{host, c.id, c.name, c.state, 0, ""};
      auto slot = c.labels.find(planner::labels::kSlot);
      if (slot != c.labels.end()) f.slot = std::atoi(slot->second.c_str());
      if (auto info = engine.InspectContainer(c.id); info.ok()) {
        auto endpoint = info->networks.find(project + "_default");
        if (endpoint != info->networks.end()) f.address = endpoint->second.ip_address;
      }
      found.push_back(std::move(f));
    }
  }
  return found;
}

inline std::vector<Found> Running(const std::vector<Found>& all) {
  std::vector<Found> running;
  for (const Found& f : all)
    if (f.state == "running") running.push_back(f);
  return running;
}

// The container `name` on whichever lab host has it; empty when none does.
inline Found FindContainer(const Lab& lab, const std::string& project, const std::string& name) {
  runtime::Filters filters{{"label", {std::string(planner::labels::kProject) + "=" + project}}};
  for (auto& [host, engine] : Engines(lab)) {
    auto list = engine.ListContainers(true, filters);
    if (!list.ok()) continue;
    for (const runtime::ContainerSummary& c : *list)
      if (c.name == name) return {host, c.id, c.name, c.state, 0, ""};
  }
  return {};
}

// How many lines of `log` hold `kind` as the event kind ("... info <kind> ...").
inline int CountEvents(const std::string& log, const std::string& kind) {
  int count = 0;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);)
    if (line.find(" " + kind + " ") != std::string::npos) ++count;
  return count;
}

}  // namespace baton::lab_test
