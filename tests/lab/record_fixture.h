#pragma once
// What the lab tests of netd share: waiting for DNS to change (and saying
// how long it took), and desired-state records written by hand, as the state
// store writes them (labels only: netd reads no payload), removed again when
// the test ends.

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lab_fixture.h"
#include "planner/labels.h"

namespace baton::lab_test {

// Polls `done` every 100 ms for up to `limit`; how long it took, or nullopt.
inline std::optional<std::chrono::milliseconds> Within(std::chrono::milliseconds limit,
                                                       const std::function<bool()>& done) {
  auto start = std::chrono::steady_clock::now();
  while (true) {
    auto took = std::chrono::steady_clock::now() - start;
    if (done()) return std::chrono::duration_cast<std::chrono::milliseconds>(took);
    if (took > limit) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// Records of one project written on every lab host.
class LabRecords {
 public:
  LabRecords(const Lab& lab, std::string project) : lab_(lab), project_(std::move(project)) {}
  ~LabRecords() { RemoveAll(); }
  LabRecords(const LabRecords&) = delete;
  LabRecords& operator=(const LabRecords&) = delete;

  // Generation `generation` with the placement label and any other record
  // labels (kSpecHashes, kHeld) as given.
  void Write(const std::string& generation, const std::string& placement,
             const std::map<std::string, std::string>& more = {}) {
    namespace labels = planner::labels;
    std::string name = "baton-state-" + project_ + "-" + generation;
    names_.push_back(name);
    std::vector<std::string> args{"create", "--name", name};
    std::map<std::string, std::string> all = more;
    all[labels::kRole] = labels::kStateRole;
    all[labels::kStateOf] = project_;
    all[labels::kGeneration] = generation;
    all[labels::kPlacement] = placement;
    for (const auto& [key, value] : all) args.insert(args.end(), {"--label", key + "=" + value});
    args.insert(args.end(), {"baton/busybox:lab", "true"});
    for (const transport::HostConfig& host : lab_.hosts) {
      ProgramRun created = LabDockerCli(lab_, host.name, args);
      INFO(created.err);
      REQUIRE(created.exit_code == 0);
    }
  }
  void RemoveAll() {
    for (const transport::HostConfig& host : lab_.hosts)
      for (const std::string& name : names_) LabDockerCli(lab_, host.name, {"rm", "-f", name});
    names_.clear();
  }

 private:
  const Lab& lab_;
  std::string project_;
  std::vector<std::string> names_;
};

}  // namespace baton::lab_test
