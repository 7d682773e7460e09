// `baton hosts drain` end to end on the shared 3-host lab (issue 6, design
// 3.5 and section 7 test 10): a graceful drain empties lab2 of the project's
// replicas, the same number keeps running on lab1 and lab3, and the
// service's DNS name, asked from lab1 all along, never answers with no
// address. Only lab2 is drained (the fault tests cut lab3), only this
// project is moved (-p), and the host is activated again however the test
// ends.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "lab_faults.h"
#include "lab_fixture.h"
#include "planner/labels.h"

namespace baton::lab_test {
namespace {

using std::chrono::milliseconds;

constexpr char kProject[] = "hdrain-drain";
constexpr char kSlowProject[] = "hdrain-slow";

// Three web replicas, one per host, each healthy a moment after it starts,
// so the drain has a health check to wait for; the client asks DNS from lab1.
constexpr char kCompose[] = R"(services:
  web:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
      retries: 3
    deploy:
      replicas: 3
  client:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: [node.hostname == lab1]
)";

// Two web replicas on lab1 and lab2 that are healthy only once /tmp/ok
// exists: a new replica never is.
constexpr char kSlowCompose[] = R"(services:
  web:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", "test", "-e", "/tmp/ok"]
      interval: 1s
    deploy:
      replicas: 2
      placement:
        constraints: [node.hostname != lab3]
)";

// The names of the project's running containers of `service` on `host`.
std::vector<std::string> Running(const Lab& lab, const std::string& host,
                                 const std::string& service,
                                 const std::string& project = kProject) {
  ProgramRun ps = LabDockerCli(
      lab, host,
      {"ps", "--format", "{{.Names}}", "--filter",
       std::string("label=") + planner::labels::kProject + "=" + project, "--filter",
       std::string("label=") + planner::labels::kService + "=" + service});
  std::vector<std::string> names;
  std::istringstream lines(ps.out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) names.push_back(line);
  return names;
}

// Every container of the project on `host`, running or not.
size_t AnyOn(const Lab& lab, const std::string& host) {
  ProgramRun ps = LabDockerCli(lab, host,
                         {"ps", "-a", "-q", "--filter",
                          std::string("label=") + planner::labels::kProject + "=" + kProject});
  return static_cast<size_t>(std::count(ps.out.begin(), ps.out.end(), '\n'));
}

// A project deployed from `compose`; activates lab2 and takes the project
// down (with its record and volumes) when the test ends, also when it fails.
class Deployment {
 public:
  Deployment(const Lab& lab, std::string project, const char* compose)
      : lab_(lab),
        project_(std::move(project)),
        dir_(std::filesystem::temp_directory_path() / ("baton-" + project_)) {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "compose.yaml") << compose;
  }
  ~Deployment() {
    RunBaton(lab_, {"hosts", "activate", "lab2"});
    Baton({"down", "-v"});
    std::filesystem::remove_all(dir_);
  }
  ProgramRun Baton(std::vector<std::string> args) const {
    args.insert(args.begin(), {"-f", (dir_ / "compose.yaml").string(), "-p", project_});
    return RunBaton(lab_, args);
  }
  std::filesystem::path log() const { return dir_ / "drain.log"; }

 private:
  const Lab& lab_;
  std::string project_;
  std::filesystem::path dir_;
};

// Reaps `child` if it has exited: its exit code, or -1 while it runs.
int ExitedCode(pid_t child) {
  int status = 0;
  if (::waitpid(child, &status, WNOHANG) != child) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_CASE("drain lab: drain moves a host's replicas off it with no DNS gap", "[lab][drain]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  Deployment deployment(*lab, kProject, kCompose);
  ProgramRun up = deployment.Baton({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  REQUIRE(Running(*lab, "lab2", "web").size() == 1);
  std::vector<std::string> client = Running(*lab, "lab1", "client");
  REQUIRE(client.size() == 1);
  REQUIRE(WaitUntil([&] { return NsLookup(*lab, "lab1", client[0], "web").size() == 3; },
                    milliseconds(15000)));

  // The drain runs in the background while DNS is asked every ~100 ms.
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int fd = ::open(deployment.log().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) ::_exit(126);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    std::vector<std::string> args{lab->binary, "-p", kProject, "hosts", "drain", "lab2"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  size_t fewest = 3, asked = 0;
  int code = -1;
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(45);
  while ((code = ExitedCode(child)) < 0 && std::chrono::steady_clock::now() < end) {
    fewest = std::min(fewest, NsLookup(*lab, "lab1", client[0], "web").size());
    ++asked;
    std::this_thread::sleep_for(milliseconds(100));
  }
  if (code < 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
  }
  std::ifstream in(deployment.log());
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  INFO(log);
  REQUIRE(code == 0);
  WARN("DNS asked " << asked << " times during the drain; fewest addresses " << fewest);
  CHECK(fewest >= 1);
  CHECK(log.find(std::string(kProject) + ": web ") != std::string::npos);
  CHECK(log.find(" moves from lab2 to lab") != std::string::npos);
  CHECK(log.find("lab2 holds no movable replica (1 moved, 0 left, 0 pinned)\n") !=
        std::string::npos);

  CHECK(AnyOn(*lab, "lab2") == 0);
  CHECK(Running(*lab, "lab1", "web").size() + Running(*lab, "lab3", "web").size() == 3);
  CHECK(WaitUntil([&] { return NsLookup(*lab, "lab1", client[0], "web").size() == 3; },
                  milliseconds(5000)));

  ProgramRun activate = RunBaton(*lab, {"hosts", "activate", "lab2"});
  CHECK(activate.exit_code == 0);
  CHECK(activate.out == "lab2 active; nothing moves back by itself\n");
  CHECK(LabDockerCli(*lab, "lab2", {"ps", "-a", "-q", "--filter", "name=^baton-drain$"}).out.empty());
  CHECK(AnyOn(*lab, "lab2") == 0);  // nothing moved back
}

TEST_CASE("drain lab: new replicas that never get healthy keep the old ones", "[lab][drain]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  Deployment deployment(*lab, kSlowProject, kSlowCompose);
  ProgramRun up = deployment.Baton({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  std::vector<std::string> old = Running(*lab, "lab2", "web", kSlowProject);
  REQUIRE(old.size() == 1);
  for (const char* host : {"lab1", "lab2"})
    for (const std::string& name : Running(*lab, host, "web", kSlowProject))
      REQUIRE(LabDockerCli(*lab, host, {"exec", name, "touch", "/tmp/ok"}).exit_code == 0);

  ProgramRun drain = deployment.Baton({"hosts", "drain", "lab2", "--timeout", "3s"});
  INFO(drain.out << drain.err);
  CHECK(drain.exit_code == 1);
  CHECK(drain.err.find(std::string("baton: ") + kSlowProject +
                       ": new replicas not ready after 3s: web ") != std::string::npos);
  CHECK(drain.err.find("; the replicas on lab2 were kept and nothing was removed\n") !=
        std::string::npos);
  CHECK(drain.out.find("lab2 still holds movable replicas (0 moved, 0 left, 0 pinned)\n") !=
        std::string::npos);
  CHECK(Running(*lab, "lab2", "web", kSlowProject) == old);
}

}  // namespace
}  // namespace baton::lab_test
