// Fencing by spec end to end (issue 7, runtime/netd/fence.h): a record whose
// spec hash for web is new and whose held slots drop one of web's old
// replicas takes that replica out of DNS on every host while it keeps
// running, and leaves the replica of a held slot in. The built baton deploys,
// so the netd it starts is this build's.

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <optional>
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
namespace labels = planner::labels;

constexpr char kProject[] = "hnetd-spec-fence";

// web: one replica on each of lab2 and lab3; client (lab1) asks DNS, so both
// answers come from netd's view of its peers.
constexpr char kCompose[] = R"(services:
  web:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    deploy:
      replicas: 2
      placement:
        constraints: [node.hostname != lab1]
        max_replicas_per_node: 1
  client:
    image: baton/busybox:lab
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    deploy:
      placement:
        constraints: [node.hostname == lab1]
)";

struct Replica {
  std::string host;
  std::string id;
  std::string name;
  int slot = 0;
  std::string spec_hash;
  std::string address;
};

// The running containers of `service` on every host.
std::vector<Replica> FindAll(const Lab& lab, const std::string& service) {
  std::vector<Replica> found;
  for (const transport::HostConfig& host : lab.hosts) {
    ProgramRun ps =
        LabDockerCli(lab, host.name,
                     {"ps", "-q", "--no-trunc", "--filter",
                      std::string("label=") + labels::kProject + "=" + kProject, "--filter",
                      std::string("label=") + labels::kService + "=" + service});
    std::istringstream ids(ps.out);
    for (std::string id; std::getline(ids, id);) {
      ProgramRun inspect =
          LabDockerCli(lab, host.name,
                       {"inspect", "-f",
                        std::string("{{.Name}} {{index .Config.Labels \"") + labels::kSlot +
                            "\"}} {{index .Config.Labels \"" + labels::kSpecHash +
                            "\"}} {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
                        id});
      Replica replica;
      replica.host = host.name;
      replica.id = id;
      std::istringstream fields(inspect.out);
      fields >> replica.name >> replica.slot >> replica.spec_hash >> replica.address;
      if (!replica.name.empty() && replica.name[0] == '/') replica.name.erase(0, 1);
      found.push_back(replica);
    }
  }
  return found;
}

std::string SlotEntry(const Replica& r, const std::string& value) {
  return "\"" + std::to_string(r.slot) + "\":\"" + value + "\"";
}

TEST_CASE("spec fence lab: dropping a slot from held takes its old replica out of DNS",
          "[lab][spec-fence]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  WatchedProject project(*lab, kProject, kCompose);
  LabRecords records(*lab, kProject);  // removed before the project goes down
  ProgramRun up = project.Baton({"up", "-d"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  std::vector<Replica> web = FindAll(*lab, "web");
  std::vector<Replica> clients = FindAll(*lab, "client");
  REQUIRE(web.size() == 2);
  REQUIRE(clients.size() == 1);
  REQUIRE(web[0].spec_hash.size() == 64);
  REQUIRE(web[0].spec_hash == web[1].spec_hash);
  const Replica& client = clients[0];
  auto answers = [&] { return NsLookup(*lab, client.host, client.name, "web"); };
  const std::set<std::string> both{web[0].address, web[1].address};
  REQUIRE(Within(milliseconds(5000), [&] { return answers() == both; }));

  // A rolling update to a new spec has begun: both old replicas are held.
  std::string placement = "{\"web\":{" + SlotEntry(web[0], web[0].host) + "," +
                          SlotEntry(web[1], web[1].host) + "},\"client\":{\"1\":\"lab1\"}}";
  std::string spec_hashes = "{\"web\":\"" + std::string(64, 'f') + "\"}";
  records.Write("1000000", placement,
                {{labels::kSpecHashes, spec_hashes},
                 {labels::kHeld, "{\"web\":{" + SlotEntry(web[0], web[0].spec_hash) + "," +
                                     SlotEntry(web[1], web[1].spec_hash) + "}}"}});
  std::this_thread::sleep_for(milliseconds(1000));
  CHECK(answers() == both);

  // The next record releases web[0]'s slot: its replica leaves DNS (still
  // running), web[1]'s stays.
  records.Write("1000001", placement,
                {{labels::kSpecHashes, spec_hashes},
                 {labels::kHeld, "{\"web\":{" + SlotEntry(web[1], web[1].spec_hash) + "}}"}});
  auto fenced = Within(milliseconds(3000),
                       [&] { return answers() == std::set<std::string>{web[1].address}; });
  CHECK(fenced);
  if (fenced) WARN("the released replica left DNS " << fenced->count() << " ms after the record");
  std::vector<Replica> after = FindAll(*lab, "web");
  CHECK(after.size() == 2);
}

}  // namespace
}  // namespace baton::lab_test
