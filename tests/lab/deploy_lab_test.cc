// The deploy commands end to end: the built baton binary (BATON_BINARY)
// against the shared 3-host lab, with the stack in testdata/deploy/stack
// (web x3 with a published port, api x2 waiting for a healthy db and a
// finished migration, db with a named volume, a one-shot migrate). Each
// case uses its own project and removes it at the end; what is left on the
// hosts is checked through each host's own Docker socket, not through baton.

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "lab_fixture.h"
#include "planner/labels.h"
#include "runtime/deploy_lock.h"
#include "runtime/docker_client.h"
#include "runtime/host_pool.h"

namespace baton::lab_test {
namespace {

const std::string kStack = std::string(BATON_SOURCE_DIR) + "/testdata/deploy/stack/compose.yaml";
const std::string kWebFour = std::string(BATON_SOURCE_DIR) + "/testdata/deploy/stack/web-four.yaml";
const std::string kApiChange =
    std::string(BATON_SOURCE_DIR) + "/testdata/deploy/stack/api-change.yaml";

runtime::Filters OfProject(const std::string& project) {
  return {{"label", {std::string(planner::labels::kProject) + "=" + project}}};
}

// Container name -> "host id started_at" for every container of `project`.
std::map<std::string, std::string> Containers(const Lab& lab, const std::string& project) {
  std::map<std::string, std::string> found;
  for (auto& [host, engine] : Engines(lab)) {
    auto list = engine.ListContainers(true, OfProject(project));
    if (!list.ok()) FAIL(list.error().ToString());
    for (const runtime::ContainerSummary& c : *list) {
      auto info = engine.InspectContainer(c.id);
      if (!info.ok()) FAIL(info.error().ToString());
      found[c.name] = host + " " + c.id + " " + info->state.started_at;
    }
  }
  return found;
}

// "containers/networks/volumes of PROJECT on HOST" for whatever is left.
std::vector<std::string> Leftovers(const Lab& lab, const std::string& project) {
  std::vector<std::string> left;
  for (auto& [host, engine] : Engines(lab)) {
    auto containers = engine.ListContainers(true, OfProject(project));
    auto networks = engine.ListNetworks(OfProject(project));
    auto volumes = engine.ListVolumes(OfProject(project));
    REQUIRE(containers.ok());
    REQUIRE(networks.ok());
    REQUIRE(volumes.ok());
    for (const auto& c : *containers) left.push_back("container " + c.name + " on " + host);
    for (const auto& n : *networks) left.push_back("network " + n.name + " on " + host);
    for (const auto& v : *volumes) left.push_back("volume " + v.name + " on " + host);
  }
  return left;
}

// Takes the project down (with its volumes) when the test case ends,
// whatever happened in it.
class ProjectCleanup {
 public:
  ProjectCleanup(const Lab& lab, std::string project) : lab_(lab), project_(std::move(project)) {}
  ~ProjectCleanup() { RunBaton(lab_, {"-p", project_, "down", "-v"}); }

 private:
  const Lab& lab_;
  std::string project_;
};

ProgramRun Up(const Lab& lab, const std::string& project, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"-f", kStack};
  args.insert(args.end(), extra.begin(), extra.end());
  for (const std::string& a : {std::string("-p"), project, std::string("up"), std::string("-d")})
    args.push_back(a);
  return RunBaton(lab, args);
}

nlohmann::json Ps(const Lab& lab, const std::string& project) {
  ProgramRun ps = RunBaton(lab, {"-f", kStack, "-p", project, "ps", "--format", "json"});
  INFO(ps.err);
  REQUIRE(ps.exit_code == 0);
  return nlohmann::json::parse(ps.out);
}

// The hosts the replicas of `service` run on, in slot order.
std::vector<std::string> HostsOf(const nlohmann::json& ps, const std::string& service) {
  std::vector<std::string> hosts;
  for (const auto& c : ps["containers"])
    if (c["service"] == service) hosts.push_back(c["host"]);
  return hosts;
}

size_t Distinct(std::vector<std::string> items) {
  return std::set<std::string>(items.begin(), items.end()).size();
}

// How many SSH logins each lab host's sshd has accepted so far.
std::map<std::string, int> AcceptedLogins(const Lab& lab) {
  std::map<std::string, int> logins;
  for (const transport::HostConfig& host : lab.hosts) {
    std::FILE* log = std::fopen((lab.dir / "hosts" / host.name / "log" / "sshd.log").c_str(), "r");
    REQUIRE(log != nullptr);
    char line[1024];
    while (std::fgets(line, sizeof line, log) != nullptr)
      if (std::string_view(line).starts_with("Accepted publickey")) ++logins[host.name];
    std::fclose(log);
  }
  return logins;
}

// The first up of the stack (logged in once per host): its placement by the
// rules, from `ps` and the hosts' volumes.
void CheckPlacedByTheRules(const Lab& lab, const std::string& project) {
  std::map<std::string, int> before = AcceptedLogins(lab);
  ProgramRun up = Up(lab, project);
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  std::map<std::string, int> after = AcceptedLogins(lab);
  for (const transport::HostConfig& host : lab.hosts)
    CHECK(after[host.name] - before[host.name] == 1);
  // netd is counted too when a host lacks it ("..., 3 network helpers created").
  CHECK(up.out.starts_with("7 created, 3 networks created, 1 volume created"));

  nlohmann::json ps = Ps(lab, project);
  CHECK(ps["containers"].size() == 7);
  CHECK(Distinct(HostsOf(ps, "web")) == 3);  // max_replicas_per_node 1
  CHECK(Distinct(HostsOf(ps, "api")) == 2);  // spread
  REQUIRE(HostsOf(ps, "db").size() == 1);
  for (const auto& c : ps["containers"]) {
    INFO(c.dump());
    if (c["service"] == "migrate")
      CHECK((c["state"] == "exited" && c["exit_code"] == 0));
    else
      CHECK(c["state"] == "running");
  }
  // The db runs where its volume is, and the volume is nowhere else.
  for (auto& [host, engine] : Engines(lab)) {
    auto volumes = engine.ListVolumes(OfProject(project));
    REQUIRE(volumes.ok());
    CHECK(volumes->size() == (host == HostsOf(ps, "db")[0] ? 1u : 0u));
  }
}

// A second up of the unchanged stack.
void CheckSecondUpChangesNothing(const Lab& lab, const std::string& project) {
  std::map<std::string, std::string> before = Containers(lab, project);
  REQUIRE(before.size() == 7);
  ProgramRun again = Up(lab, project);
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.out == "nothing to change\n");
  CHECK(again.err == "");
  CHECK(Containers(lab, project) == before);
}

void CheckApiChangeRecreatesOnlyApi(const Lab& lab, const std::string& project) {
  std::map<std::string, std::string> before = Containers(lab, project);
  ProgramRun plan = RunBaton(lab, {"-f", kStack, "-f", kApiChange, "-p", project, "plan"});
  CHECK(plan.exit_code == 0);
  CHECK(plan.out.find("2 to recreate\n") != std::string::npos);
  ProgramRun up = Up(lab, project, {"-f", kApiChange});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.out == "2 recreated\n");

  std::map<std::string, std::string> after = Containers(lab, project);
  REQUIRE(after.size() == before.size());
  for (const auto& [name, identity] : before) {
    INFO(name);
    bool api = name.rfind(project + "-api-", 0) == 0;
    CHECK((after[name] != identity) == api);
  }
}

// One deployed stack goes through these in turn, since each starts from a
// deployed stack and deploying it costs seconds (a healthy db, a migration).
TEST_CASE(
    "deploy: up places the stack by the rules over one ssh connection per host and a second up "
    "changes nothing and an api change recreates only api and down -v leaves nothing",
    "[lab][deploy]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const std::string project = "cli-deploy-rules";
  ProjectCleanup cleanup(*lab, project);
  CheckPlacedByTheRules(*lab, project);
  CheckSecondUpChangesNothing(*lab, project);
  CheckApiChangeRecreatesOnlyApi(*lab, project);
  REQUIRE_FALSE(Leftovers(*lab, project).empty());

  // By name only, as from a machine without the compose file.
  ProgramRun down = RunBaton(*lab, {"-p", project, "down", "-v"});
  INFO(down.err);
  CHECK(down.exit_code == 0);
  CHECK(down.out.starts_with("7 removed, 3 networks removed, 1 volume removed"));
  CHECK(Leftovers(*lab, project) == std::vector<std::string>{});
}

TEST_CASE("deploy: up while another deploy holds the lock fails naming it", "[lab][deploy]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const std::string project = "cli-deploy-lock";
  ProjectCleanup cleanup(*lab, project);
  runtime::HostPool pool = runtime::HostPool::Open(lab->hosts, lab->ssh);
  auto lock = runtime::DeployLock::Acquire(pool, project, "tester@lab pid 1");
  REQUIRE(lock.ok());

  ProgramRun up = Up(*lab, project);
  CHECK(up.exit_code == 1);
  std::string expected = "baton: project " + project + " is being deployed by tester@lab pid 1";
  CHECK(up.err.rfind(expected, 0) == 0);
  CHECK(up.err.find("baton unlock") != std::string::npos);
  CHECK(Leftovers(*lab, project) == std::vector<std::string>{});
  CHECK(lock->Release().ok());
}

TEST_CASE("deploy: unlock breaks a stale lock and names its holder", "[lab][deploy]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const std::string project = "cli-deploy-unlock";
  runtime::HostPool pool = runtime::HostPool::Open(lab->hosts, lab->ssh);
  {
    auto lock = runtime::DeployLock::Acquire(pool, project, "tester@lab pid 2");
    REQUIRE(lock.ok());
    ProgramRun unlock = RunBaton(*lab, {"-p", project, "unlock"});
    INFO(unlock.err);
    INFO(unlock.out);
    CHECK(unlock.exit_code == 0);
    CHECK(unlock.out.rfind("lock of project " + project + " held by tester@lab pid 2 since ", 0) ==
          0);
    CHECK(unlock.out.find(" on lab1, lab2, lab3; removed\n") != std::string::npos);
  }
  auto holders = runtime::DeployLock::Holders(pool, project);
  REQUIRE(holders.ok());
  CHECK(holders->empty());
}

TEST_CASE("deploy: plan names a replica that fits nowhere and exits 1", "[lab][deploy]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  ProgramRun plan =
      RunBaton(*lab, {"-f", kStack, "-f", kWebFour, "-p", "cli-deploy-unplaced", "plan"});
  INFO(plan.err);
  CHECK(plan.exit_code == 1);
  CHECK(plan.out.find("cannot place:\n  web replica 4: 0/3 hosts: ") != std::string::npos);
  CHECK(plan.out.find("\n7 to create, 3 networks to create, 1 volume to create") !=
        std::string::npos);
}

TEST_CASE("deploy: up with a replica that fits nowhere changes nothing", "[lab][deploy]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const std::string project = "cli-deploy-unplaced";
  ProjectCleanup cleanup(*lab, project);
  ProgramRun up = Up(*lab, project, {"-f", kWebFour});
  CHECK(up.exit_code == 1);
  CHECK(up.err.rfind(
            "baton: cannot place 1 replica; nothing was changed\n  web replica 4: 0/3 hosts: ",
            0) == 0);
  CHECK(Leftovers(*lab, project) == std::vector<std::string>{});
}

}  // namespace
}  // namespace baton::lab_test

namespace baton::lab_test {
namespace {

// The lab's hosts file plus lab9 at an address nobody answers on. The rest
// stays as it is (labels, the cluster section): netd's config is then the
// one the lab runs, so `up` does not recreate netd on every host, and the
// next test's `up` does not recreate it back.
std::string HostsFileWithDeadHost(const Lab& lab) {
  std::string path = (lab.dir / "hosts-with-dead-host.yaml").string();
  std::ifstream original(lab.hosts_file);
  std::string text((std::istreambuf_iterator<char>(original)), std::istreambuf_iterator<char>());
  // The extra host goes at the end of the hosts list, before any top-level key after it.
  size_t after_hosts = text.find("\ncluster:");
  if (after_hosts == std::string::npos) after_hosts = text.size() - 1;
  text.insert(after_hosts + 1, "  - name: lab9\n    address: ssh://root@10.209.0.99:22\n");
  std::ofstream out(path);
  out << text;
  REQUIRE(out.good());
  return path;
}

TEST_CASE("deploy: up refuses while a host is unreachable unless told to skip it",
          "[lab][deploy]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const std::string project = "cli-deploy-dead-host";
  ProjectCleanup cleanup(*lab, project);
  std::vector<std::string> dead = {"--hosts", HostsFileWithDeadHost(*lab), "--connect-timeout",
                                   "1s"};
  ProgramRun refused = Up(*lab, project, dead);
  INFO(refused.err);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.rfind("baton: cannot see every host, so up would start the replicas they run "
                          "again elsewhere (bring them back, take them out of the hosts file, or "
                          "pass --skip-unreachable):\n  lab9: host lab9: ",
                          0) == 0);
  CHECK(Leftovers(*lab, project) == std::vector<std::string>{});

  dead.push_back("--skip-unreachable");
  ProgramRun skipped = RunBaton(*lab, [&] {
    std::vector<std::string> args{"-f", kStack, "-p", project};
    args.insert(args.end(), dead.begin(), dead.end() - 1);
    for (const char* a : {"up", "-d", "--skip-unreachable"}) args.push_back(a);
    return args;
  }());
  INFO(skipped.err);
  CHECK(skipped.exit_code == 0);
  CHECK(skipped.err.find("baton: warning: host lab9 is unreachable") != std::string::npos);
  CHECK(Containers(*lab, project).size() == 7);
}

}  // namespace
}  // namespace baton::lab_test

namespace baton::lab_test {
namespace {

const std::string kPushStack = std::string(BATON_SOURCE_DIR) + "/testdata/deploy/push/compose.yaml";
constexpr char kPushedImage[] = "cli-push/app:1";

// Removes the pushed image from every host when the test case ends.
struct PushedImageCleanup {
  const Lab& lab;
  ~PushedImageCleanup() {
    for (auto& [host, engine] : Engines(lab)) (void)engine.RemoveImage(kPushedImage, true);
  }
};

TEST_CASE("deploy: up --push streams a local image to the hosts that lack it", "[lab][deploy]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const std::string project = "cli-deploy-push";
  ProjectCleanup cleanup(*lab, project);
  PushedImageCleanup images{*lab};
  // lab1's engine stands in for the laptop's local one: only it has the image.
  std::string local_socket = (lab->dir / "hosts" / "lab1" / "run" / "docker.sock").string();
  REQUIRE(Engines(*lab).at("lab1").TagImage("baton/busybox:lab", kPushedImage).ok());
  ::setenv("DOCKER_HOST", ("unix://" + local_socket).c_str(), 1);
  ProgramRun up = RunBaton(*lab, {"-f", kPushStack, "-p", project, "up", "-d", "--push"});
  ::unsetenv("DOCKER_HOST");
  INFO(up.out + up.err);
  REQUIRE(up.exit_code == 0);
  auto engines = Engines(*lab);
  for (const char* host : {"lab2", "lab3"}) CHECK(engines.at(host).InspectImage(kPushedImage).ok());
  std::map<std::string, std::string> containers = Containers(*lab, project);
  REQUIRE(containers.size() == 2);
  for (const auto& [name, where] : containers) CHECK(where.rfind("lab1 ", 0) != 0);
}

}  // namespace
}  // namespace baton::lab_test
