// x-baton.readiness end to end (issue 6, design 3.4): netd on the replica's
// host runs the probe, so a replica whose probe fails is out of DNS on every
// host while it keeps running (the same container, not restarted), and comes
// back when the probe passes again. The built baton deploys, so the netd it
// starts is this build's.

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "lab_fixture.h"
#include "planner/labels.h"
#include "record_fixture.h"
#include "watch_fixture.h"

namespace baton::lab_test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kProject[] = "h5ready-probe";

// web (lab2) is ready only while /tmp/ready exists; client (lab1) asks DNS.
// Another host than web's, so the answer comes from netd's view of a peer.
constexpr char kCompose[] = R"(services:
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
  client:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    deploy:
      placement:
        constraints: [node.hostname == lab1]
)";

// The id and address of the one running container of `service` on `host`.
struct Replica {
  std::string id;
  std::string name;
  std::string address;
};

Replica Find(const Lab& lab, const std::string& host, const std::string& service) {
  ProgramRun ps =
      LabDockerCli(lab, host,
                   {"ps", "-q", "--no-trunc", "--filter",
                    std::string("label=") + planner::labels::kProject + "=" + kProject, "--filter",
                    std::string("label=") + planner::labels::kService + "=" + service});
  std::string id = ps.out.substr(0, ps.out.find('\n'));
  if (id.empty()) return {};
  ProgramRun inspect = LabDockerCli(
      lab, host,
      {"inspect", "-f", "{{.Name}} {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", id});
  std::istringstream fields(inspect.out);
  Replica replica{id, "", ""};
  fields >> replica.name >> replica.address;
  if (!replica.name.empty() && replica.name[0] == '/') replica.name.erase(0, 1);
  return replica;
}

TEST_CASE("readiness lab: a failing probe keeps the replica running but out of DNS",
          "[lab][readiness]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  WatchedProject project(*lab, kProject, kCompose);
  auto baton = [&](std::vector<std::string> args) { return project.Baton(std::move(args)); };
  ProgramRun up = baton({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  Replica web = Find(*lab, "lab2", "web");
  Replica client = Find(*lab, "lab1", "client");
  REQUIRE(!web.id.empty());
  REQUIRE(!client.id.empty());
  INFO("web " << web.name << " at " << web.address);

  // Running, but the probe fails: never in DNS (checked for a while).
  CHECK_FALSE(Within(milliseconds(2000),
                     [&] { return !NsLookup(*lab, "lab1", client.name, "web").empty(); }));

  ProgramRun ready = baton({"exec", "-T", "web", "touch", "/tmp/ready"});
  INFO(ready.out << ready.err);
  REQUIRE(ready.exit_code == 0);
  auto in = Within(milliseconds(5000), [&] {
    return NsLookup(*lab, "lab1", client.name, "web") == std::set<std::string>{web.address};
  });
  CHECK(in);
  if (in) WARN("web entered DNS " << in->count() << " ms after its probe could pass");

  ProgramRun unready = baton({"exec", "-T", "web", "rm", "/tmp/ready"});
  REQUIRE(unready.exit_code == 0);
  auto out = Within(milliseconds(5000),
                    [&] { return NsLookup(*lab, "lab1", client.name, "web").empty(); });
  CHECK(out);
  if (out) WARN("web left DNS " << out->count() << " ms after its probe started failing");
  // The same container, still running: readiness never restarts.
  CHECK(Find(*lab, "lab2", "web").id == web.id);
  CHECK(
      LabDockerCli(*lab, "lab2", {"inspect", "-f", "{{.State.Running}} {{.RestartCount}}", web.id})
          .out == "true 0\n");
}

TEST_CASE("readiness lab: a record that places the slot elsewhere fences the replica",
          "[lab][readiness]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  WatchedProject project(*lab, kProject, kCompose);
  LabRecords records(*lab, kProject);  // removed before the project goes down
  ProgramRun up = project.Baton({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  Replica web = Find(*lab, "lab2", "web");
  Replica client = Find(*lab, "lab1", "client");
  REQUIRE(!web.id.empty());
  REQUIRE(!client.id.empty());
  REQUIRE(project.Baton({"exec", "-T", "web", "touch", "/tmp/ready"}).exit_code == 0);
  auto web_in = [&] {
    return NsLookup(*lab, "lab1", client.name, "web") == std::set<std::string>{web.address};
  };
  REQUIRE(Within(milliseconds(5000), web_in));

  // A newer generation that gives web's slot 1 to lab3: the copy on lab2 is
  // fenced (still running) on every host, including the asker's.
  records.Write("1000000", R"({"web":{"1":"lab3"},"client":{"1":"lab1"}})");
  auto fenced = Within(milliseconds(3000),
                       [&] { return NsLookup(*lab, "lab1", client.name, "web").empty(); });
  CHECK(fenced);
  if (fenced) WARN("the fenced web left DNS " << fenced->count() << " ms after the record");
  CHECK(Find(*lab, "lab2", "web").id == web.id);

  // The same generation placing it on lab2 lets it back in.
  records.RemoveAll();
  records.Write("1000001", R"({"web":{"1":"lab2"},"client":{"1":"lab1"}})");
  CHECK(Within(milliseconds(3000), web_in));
}

}  // namespace
}  // namespace baton::lab_test
