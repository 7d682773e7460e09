// A deploy cut short must leave nothing that the next `up` cannot finish:
// Ctrl-C during `up` (which releases the deploy lock and exits 130), and a
// killed `up` (which cannot release it: `baton unlock` breaks the stale lock).
// Both are cut while api waits for db to become healthy, so some replicas
// exist and others do not yet.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lab_fixture.h"
#include "planner/labels.h"

namespace baton::lab_test {
namespace {

const std::string kStack = std::string(BATON_SOURCE_DIR) + "/testdata/deploy/stack/compose.yaml";
constexpr size_t kStackReplicas = 7;  // web x3, api x2, db, migrate

// Container names of `project` on every lab host, through each host's socket.
std::vector<std::string> ContainerNames(const Lab& lab, const std::string& project) {
  std::vector<std::string> names;
  for (auto& [host, engine] : Engines(lab)) {
    auto list = engine.ListContainers(
        true, {{"label", {std::string(planner::labels::kProject) + "=" + project}}});
    REQUIRE(list.ok());
    for (const auto& c : *list) names.push_back(c.name);
  }
  return names;
}

// Starts `baton ARGS` with its output discarded; returns its pid.
pid_t StartBaton(const Lab& lab, std::vector<std::string> args) {
  args.insert(args.begin(), lab.binary);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// Waits until the deploy has made some replicas but not all; false on timeout.
bool AwaitPartialDeploy(const Lab& lab, const std::string& project) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    size_t made = ContainerNames(lab, project).size();
    if (made > 0 && made < kStackReplicas) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int WaitExit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The second `up` finishes the deploy: every replica once, and a third
// `up` has nothing left to do.
void CheckNextUpFinishes(const Lab& lab, const std::string& project) {
  ProgramRun up = RunBaton(lab, {"-f", kStack, "-p", project, "up", "-d"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  std::vector<std::string> names = ContainerNames(lab, project);
  CHECK(names.size() == kStackReplicas);
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
  ProgramRun again = RunBaton(lab, {"-f", kStack, "-p", project, "up", "-d"});
  CHECK(again.exit_code == 0);
  CHECK(again.out == "nothing to change\n");
}

struct Down {
  const Lab& lab;
  std::string project;
  ~Down() {
    RunBaton(lab, {"-p", project, "unlock"});
    RunBaton(lab, {"-p", project, "down", "-v"});
  }
};

TEST_CASE("interrupted deploy: Ctrl-C mid-up releases the lock and the next up finishes",
          "[lab][deploy][interrupt]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const std::string project = "cli-interrupted-int";
  Down down{*lab, project};
  pid_t up = StartBaton(*lab, {"-f", kStack, "-p", project, "up", "-d"});
  REQUIRE(AwaitPartialDeploy(*lab, project));
  ::kill(up, SIGINT);
  CHECK(WaitExit(up) == 130);
  CheckNextUpFinishes(*lab, project);
}

TEST_CASE("interrupted deploy: a killed up leaves a stale lock that unlock breaks",
          "[lab][deploy][interrupt]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const std::string project = "cli-interrupted-kill";
  Down down{*lab, project};
  pid_t up = StartBaton(*lab, {"-f", kStack, "-p", project, "up", "-d"});
  REQUIRE(AwaitPartialDeploy(*lab, project));
  ::kill(up, SIGKILL);
  WaitExit(up);
  ProgramRun blocked = RunBaton(*lab, {"-f", kStack, "-p", project, "up", "-d"});
  CHECK(blocked.exit_code == 1);
  CHECK(blocked.err.find("is being deployed by") != std::string::npos);
  ProgramRun unlock = RunBaton(*lab, {"-p", project, "unlock"});
  INFO(unlock.err);
  CHECK(unlock.exit_code == 0);
  CheckNextUpFinishes(*lab, project);
}

}  // namespace
}  // namespace baton::lab_test
