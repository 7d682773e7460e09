// `baton ps` on the lab (issue 6): a replica in a crash loop shows as such
// with its exit code and the tail of its log, from the engine's restart
// count when no watcher runs and from the watcher's backoff when one does,
// and a replica whose x-baton.readiness probe
// fails shows READY no, as netd on its host judges it (`baton-netd status`).
// The built baton deploys, so the netd it starts is this build's. Only lab1
// and lab2 run replicas.

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "lab_fixture.h"
#include "watch_fixture.h"

namespace baton::lab_test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kProject[] = "hps-ps";

constexpr char kCompose[] = R"(services:
  crash:
    image: baton/busybox:lab
    command: ["sh", "-c", "echo boom; exit 3"]
    restart: always
    deploy:
      placement:
        constraints: [node.hostname == lab1]
  web:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    deploy:
      placement:
        constraints: [node.hostname == lab2]
    x-baton:
      readiness:
        test: test -e /tmp/ready
        interval: 200ms
        timeout: 1s
        retries: 1
)";

// The project deployed from kCompose, brought down when the test ends.
class Deployment {
 public:
  explicit Deployment(const Lab& lab)
      : lab_(lab), dir_(std::filesystem::temp_directory_path() / "baton-hps-ps") {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "compose.yaml") << kCompose;
  }
  ~Deployment() {
    Baton({"down", "-v"});
    std::filesystem::remove_all(dir_);
  }
  ProgramRun Baton(std::vector<std::string> args) {
    args.insert(args.begin(), {"-f", (dir_ / "compose.yaml").string(), "-p", kProject});
    return RunBaton(lab_, args);
  }

 private:
  const Lab& lab_;
  std::filesystem::path dir_;
};

const nlohmann::json* Service(const nlohmann::json& ps, const std::string& service) {
  if (!ps.is_object() || !ps.contains("containers")) return nullptr;
  for (const nlohmann::json& c : ps["containers"])
    if (c.value("service", "") == service) return &c;
  return nullptr;
}

bool CrashShown(const nlohmann::json& ps) {
  const nlohmann::json* crash = Service(ps, "crash");
  if (crash == nullptr || !(*crash)["crash_loop"].is_object()) return false;
  if (!crash->contains("log_tail")) return false;
  for (const nlohmann::json& line : (*crash)["log_tail"])
    if (line == "boom") return true;
  return false;
}

bool WebUnready(const nlohmann::json& ps) {
  const nlohmann::json* web = Service(ps, "web");
  return web != nullptr && (*web)["ready"] == "no" && (*web)["in_dns"] == false;
}

// `ps` as JSON and as a table, taken one after the other.
struct PsOutput {
  nlohmann::json json;
  std::string table;
};

bool Shown(const PsOutput& ps) {
  return CrashShown(ps.json) && WebUnready(ps.json) &&
         ps.table.find("web/1 on lab2 not in DNS: readiness") != std::string::npos;
}

// Runs `ps` every 500 ms until Shown or `limit` passes; the last output. A
// netd that cannot tell ("?") is another build's, put there by another
// test's `up` on a shared lab: `up` again (twice at most) puts this build's
// back.
PsOutput PollPs(Deployment& deployment, std::chrono::seconds limit) {
  Clock::time_point deadline = Clock::now() + limit;
  int reinstalls = 0;
  while (true) {
    PsOutput ps{
        nlohmann::json::parse(deployment.Baton({"ps", "--format", "json"}).out, nullptr, false),
        deployment.Baton({"ps"}).out};
    if (Shown(ps) || Clock::now() > deadline) return ps;
    const nlohmann::json* web = Service(ps.json, "web");
    if (web != nullptr && (*web)["ready"] == "?" && reinstalls < 2) {
      ++reinstalls;
      WARN("netd answers no status: up again to reinstall this build's");
      deployment.Baton({"up", "-d", "--skip-unreachable"});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

TEST_CASE("ps lab: a crash loop shows its exit code and log and a failing probe shows unready",
          "[lab][ps]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  Deployment deployment(*lab);
  // Nothing runs on lab3, whose link other lab tests may be cutting.
  ProgramRun up = deployment.Baton({"up", "-d", "--skip-unreachable"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);

  PsOutput ps = PollPs(deployment, std::chrono::seconds(20));
  INFO(ps.json.dump(2) << "\n" << ps.table);
  REQUIRE(CrashShown(ps.json));
  const nlohmann::json& crash = *Service(ps.json, "crash");
  CHECK(crash["host"] == "lab1");
  CHECK(crash["crash_loop"]["exit_code"] == 3);
  CHECK(crash["crash_loop"]["restarts"].get<int>() >= 3);
  CHECK(crash["status"].get<std::string>().rfind("crash-looping (exit 3, ", 0) == 0);
  REQUIRE(WebUnready(ps.json));
  CHECK((*Service(ps.json, "web"))["ready_reason"].get<std::string>().find("readiness") !=
        std::string::npos);

  // The table says the same, with the log tail below it.
  CHECK(ps.table.find("crash-looping (exit 3, ") != std::string::npos);
  CHECK(ps.table.find("crash/1 on lab1 (" + crash["name"].get<std::string>() +
                      ") is crash-looping; last log lines:\n  boom\n") != std::string::npos);
  CHECK(ps.table.find("web/1 on lab2 not in DNS: readiness") != std::string::npos);
  CHECK(RowOf(ps.table, "web").find("  no  ") != std::string::npos);
}

constexpr char kCrashOnly[] = R"(services:
  crash:
    image: baton/busybox:lab
    command: ["sh", "-c", "echo boom; exit 3"]
    restart: always
    deploy:
      placement:
        constraints: [node.hostname == lab1]
)";

bool CountedByWatcher(const nlohmann::json& ps) {
  const nlohmann::json* crash = Service(ps, "crash");
  return crash != nullptr && (*crash)["crash_loop"].is_object() &&
         (*crash)["crash_loop"]["counted_by"] == "watcher" &&
         (*crash)["crash_loop"]["next_restart_in"].is_number();
}

TEST_CASE("ps lab: with a watcher a crash loop shows the watcher's next restart", "[lab][ps]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  WatchedProject project(*lab, "hps-psw", kCrashOnly);
  ProgramRun up = project.Baton({"up", "-d", "--skip-unreachable"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  auto watcher = project.Watch();

  // The watcher takes over at the second short run, then starts it after
  // 1, 2, 4 ... s; its status reaches the lease records with a renewal (2 s).
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(20);
  nlohmann::json ps;
  while (Clock::now() < deadline && !CountedByWatcher(ps)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ps = nlohmann::json::parse(project.Baton({"ps", "--format", "json"}).out, nullptr, false);
  }
  INFO(ps.dump(2));
  REQUIRE(CountedByWatcher(ps));
  const nlohmann::json& crash = *Service(ps, "crash");
  CHECK(ps["watcher"] == true);
  CHECK(crash["crash_loop"]["exit_code"] == 3);
  CHECK(crash["crash_loop"]["restarts"].get<int>() >= 2);
  CHECK(crash["status"].get<std::string>().find(", next in ") != std::string::npos);
  CHECK(crash["log_tail"].back() == "boom");
  CHECK(watcher->Stop(SIGTERM) == 0);
}

}  // namespace
}  // namespace baton::lab_test
