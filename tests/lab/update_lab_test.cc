// Rolling updates end to end on the shared 3-host lab (issue 7): a client on
// lab1 asks `web` (4 replicas on 3 hosts) by name all along, one request
// after the other, while `up` replaces web's replicas for a new
// environment, stop-first and then start-first; not one request may fail.

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "lab_faults.h"
#include "lab_fixture.h"
#include "planner/labels.h"
#include "watch_fixture.h"

namespace baton::lab_test {
namespace {

using std::chrono::milliseconds;

constexpr char kProject[] = "upd-roll";

// One version of web.
struct Web {
  std::string version;
  std::string order = "stop-first";
  int parallelism = 1;
  bool healthy = true;  // false: its healthcheck fails, the version is broken
  std::string port{};   // a published host port, "" for none
};

// web answers each connection with its VERSION; the client logs "ok v1" or
// FAIL for each request, resolving `web` every time. Each update rolls back
// on failure.
std::string Compose(const Web& web) {
  return R"(services:
  web:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; nc -ll -p 80 -e sh -c 'echo $$VERSION' & wait"]
    environment: [VERSION=)" +
         web.version + R"(]
    ports: [)" +
         (web.port.empty() ? "" : "\"" + web.port + ":80\"") +
         R"(]
    stop_grace_period: 1s
    healthcheck:
      test: ["CMD", ")" +
         (web.healthy ? "true" : "false") + R"("]
      interval: 1s
      retries: 1
    deploy:
      replicas: 4
      update_config:
        order: )" +
         web.order + R"(
        parallelism: )" +
         std::to_string(web.parallelism) + R"(
        monitor: 1s
        failure_action: rollback
  client:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do r=$$(nc -w 2 web 80 </dev/null); if [ -n \"$$r\" ]; then echo \"ok $$r\"; else echo FAIL; fi; sleep 0.05; done"]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: [node.hostname == lab1]
)";
}

ProgramRun Up(const WatchedProject& project, const std::string& compose) {
  project.Write(compose);
  return project.Baton({"up", "-d"});
}

ProgramRun Plan(const WatchedProject& project, const std::string& compose) {
  project.Write(compose);
  return project.Baton({"plan"});
}

struct Requests {
  size_t ok = 0;
  size_t failed = 0;
  std::string last;  // the last answer
};

// What the client logged so far.
Requests ClientLog(const Lab& lab, const std::string& client) {
  ProgramRun logs = LabDockerCli(lab, "lab1", {"logs", client});
  Requests requests;
  std::istringstream lines(logs.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("ok ", 0) == 0) {
      ++requests.ok;
      requests.last = line.substr(3);
    } else if (line == "FAIL") {
      ++requests.failed;
    }
  }
  return requests;
}

std::string ClientName(const Lab& lab) {
  ProgramRun ps =
      LabDockerCli(lab, "lab1",
                   {"ps", "--format", "{{.Names}}", "--filter",
                    std::string("label=") + planner::labels::kProject + "=" + kProject, "--filter",
                    std::string("label=") + planner::labels::kService + "=client"});
  return ps.out.substr(0, ps.out.find('\n'));
}

// What the client saw while one command ran.
struct Window {
  ProgramRun run;
  double seconds = 0;
  size_t sent = 0;
  size_t failed = 0;
};

// Runs `baton args...` (an up, a rollback) while the client keeps asking,
// and waits until the client's answers are `answer`.
Window WhileAsking(const Lab& lab, const std::string& client, const std::string& answer,
                   const std::function<ProgramRun()>& command) {
  Requests before = ClientLog(lab, client);
  auto start = std::chrono::steady_clock::now();
  Window window;
  window.run = command();
  window.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  bool settled =
      WaitUntil([&] { return ClientLog(lab, client).last == answer; }, milliseconds(5000));
  Requests after = ClientLog(lab, client);
  window.sent = after.ok + after.failed - before.ok - before.failed;
  window.failed = after.failed - before.failed;
  CHECK(settled);
  return window;
}

void Figure(const std::string& what, const Window& window) {
  WARN(what << ": " << window.seconds << " s, " << window.sent << " requests sent, "
            << window.failed << " failed");
}

// web v1 deployed and answering the client; returns the client's name.
std::string DeployV1(const Lab& lab, const WatchedProject& project) {
  ProgramRun up = Up(project, Compose({"v1"}));
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  std::string client = ClientName(lab);
  REQUIRE(!client.empty());
  // Before web is ready the client may fail: only what follows counts.
  REQUIRE(WaitUntil([&] { return ClientLog(lab, client).last == "v1"; }, milliseconds(20000)));
  return client;
}

TEST_CASE("update lab: a rolling update drops no request stop-first or start-first",
          "[lab][update]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  WatchedProject project(*lab, kProject, Compose({"v1"}));
  std::string client = DeployV1(*lab, project);
  ProgramRun plan = Plan(project, Compose({"v3", "start-first", 2}));
  INFO(plan.out << plan.err);
  CHECK(plan.out.find("note: web: rolling update of 4 replicas, 2 at a time, start-first, "
                      "monitor 1s, on failure rollback\n") != std::string::npos);
  // Two copies of a replica cannot publish one host port: stop-first there.
  ProgramRun ported = Plan(project, Compose({"v3", "start-first", 2, true, "28419"}));
  INFO(ported.out << ported.err);
  for (const char* host : {"lab1", "lab2", "lab3"})
    CHECK(ported.out.find(std::string("note: web: stop-first on ") + host +
                          ": publishes port 28419/tcp\n") != std::string::npos);

  Window stop_first = WhileAsking(*lab, client, "v2", [&] { return Up(project, Compose({"v2"})); });
  INFO(stop_first.run.out << stop_first.run.err);
  REQUIRE(stop_first.run.exit_code == 0);
  CHECK(stop_first.run.err.find("web: rolling update of 4 replicas, 1 at a time, stop-first") !=
        std::string::npos);
  CHECK(stop_first.run.out == "4 recreated\n");
  Figure("stop-first, 1 at a time", stop_first);
  CHECK(stop_first.sent > 20);
  CHECK(stop_first.failed == 0);

  Window start_first = WhileAsking(*lab, client, "v3", [&] {
    return Up(project, Compose({"v3", "start-first", 2}));
  });
  INFO(start_first.run.out << start_first.run.err);
  REQUIRE(start_first.run.exit_code == 0);
  CHECK(start_first.run.err.find("web: rolling update of 4 replicas, 2 at a time, start-first") !=
        std::string::npos);
  Figure("start-first, 2 at a time", start_first);
  CHECK(start_first.sent > 20);
  CHECK(start_first.failed == 0);
  // Nothing of the old replicas is left behind.
  for (const char* host : {"lab1", "lab2", "lab3"})
    CHECK(LabDockerCli(*lab, host, {"ps", "-a", "-q", "--filter", "name=-replaced$"}).out.empty());
}

TEST_CASE("update lab: a broken version rolls back and baton rollback undoes a good update",
          "[lab][update]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  WatchedProject project(*lab, kProject, Compose({"v1"}));
  std::string client = DeployV1(*lab, project);

  Window broken = WhileAsking(*lab, client, "v1", [&] {
    return Up(project, Compose({"v2", "stop-first", 1, /*healthy=*/false}));
  });
  INFO(broken.run.out << broken.run.err);
  CHECK(broken.run.exit_code == 1);
  CHECK(broken.run.err.find("web: update rolls back after 1 of 4 replicas failed") !=
        std::string::npos);
  CHECK(broken.run.err.find("the update of web failed and was rolled back") != std::string::npos);
  Figure("broken version, rolled back", broken);
  CHECK(broken.failed == 0);

  Window good = WhileAsking(*lab, client, "v3", [&] {
    return Up(project, Compose({"v3", "stop-first", 2}));
  });
  REQUIRE(good.run.exit_code == 0);
  CHECK(good.failed == 0);
  // From the record alone: no compose file needed, any machine would do.
  Window rollback = WhileAsking(*lab, client, "v1", [&] {
    return RunBaton(*lab, {"-p", kProject, "rollback", "web"});
  });
  INFO(rollback.run.out << rollback.run.err);
  REQUIRE(rollback.run.exit_code == 0);
  CHECK(rollback.run.out == "web: rolled back, 4 replicas replaced\n");
  Figure("baton rollback", rollback);
  CHECK(rollback.failed == 0);
}

}  // namespace
}  // namespace baton::lab_test
