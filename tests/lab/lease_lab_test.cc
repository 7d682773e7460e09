// The project lease on the lab's three engines: two ProjectLease in one
// process compete for one project; a release hands over within a renew
// period, a holder that stops renewing is taken over after ttl, and
// `baton events` prints what the holder published.

#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>

#include "lab_fixture.h"
#include "runtime/project_lease.h"

namespace baton::lab_test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kRenew{1000};
constexpr milliseconds kTtl{4000};

std::string Project(const std::string& test) {
  return "h3lease-" + test + "-" + std::to_string(::getpid());
}

// The engines through their own sockets, shared the way a host monitor
// would hand them out.
struct LeaseLab {
  std::vector<runtime::LeaseHost> hosts;
  runtime::LeaseHostSource source() const {
    return [hosts = hosts] { return hosts; };
  }
};

LeaseLab OpenLeaseLab(const Lab& lab) {
  LeaseLab leases;
  std::map<std::string, runtime::DockerClient> engines = Engines(lab);
  for (const transport::HostConfig& host : lab.hosts) {
    auto it = engines.find(host.name);
    leases.hosts.push_back(
        {host.name, std::make_shared<runtime::DockerClient>(std::move(it->second))});
  }
  return leases;
}

// Removes the project's records wherever they are, before and after a test.
struct RecordCleanup {
  const LeaseLab& lab;
  std::string project;
  void Run() const {
    for (const runtime::LeaseHost& host : lab.hosts) {
      runtime::RemoveContainerOptions force;
      force.force = true;
      (void)host.docker->RemoveContainer(runtime::LeaseRecordName(project), force);
    }
  }
  ~RecordCleanup() { Run(); }
};

std::unique_ptr<runtime::ProjectLease> StartLease(const LeaseLab& lab, const std::string& project,
                                                  const std::string& holder) {
  runtime::LeaseOptions options;
  options.holder = holder;
  options.renew = kRenew;
  options.ttl = kTtl;
  return runtime::ProjectLease::Start(lab.source(), project, options);
}

// Polls every 100 ms until `lease` is held; the time it took, or nullopt.
std::optional<milliseconds> WaitHeld(const runtime::ProjectLease& lease, milliseconds limit) {
  Clock::time_point start = Clock::now();
  while (Clock::now() - start < limit) {
    if (lease.Held()) return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    std::this_thread::sleep_for(milliseconds(100));
  }
  return std::nullopt;
}

std::vector<std::string> RecordHolders(const LeaseLab& lab, const std::string& project) {
  std::vector<std::string> holders;
  auto view = runtime::ProjectLease::Read(lab.hosts, project);
  REQUIRE(view.ok());
  for (const runtime::LeaseRecord& record : view->records) holders.push_back(record.holder);
  return holders;
}

TEST_CASE("lease lab: one of two holds and a release hands over within a renew period",
          "[lab][lease]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LeaseLab leases = OpenLeaseLab(*lab);
  std::string project = Project("release");
  RecordCleanup cleanup{leases, project};
  cleanup.Run();

  auto first = StartLease(leases, project, "first@lab pid 1");
  REQUIRE(WaitHeld(*first, milliseconds(5000)));
  std::stop_token first_lost = first->LostToken();
  auto second = StartLease(leases, project, "second@lab pid 2");
  std::this_thread::sleep_for(2 * kRenew + milliseconds(1000));
  CHECK(first->Held());
  CHECK_FALSE(second->Held());
  CHECK(RecordHolders(leases, project) ==
        std::vector<std::string>(leases.hosts.size(), "first@lab pid 1"));

  REQUIRE(first->Release().ok());
  CHECK(first_lost.stop_requested());
  std::optional<milliseconds> took = WaitHeld(*second, milliseconds(5000));
  REQUIRE(took);
  CHECK(*took <= kRenew + milliseconds(1500));  // renew, jitter up to 1 s, one round
  CHECK(second->Term() > 1);
  CHECK(RecordHolders(leases, project) ==
        std::vector<std::string>(leases.hosts.size(), "second@lab pid 2"));
  REQUIRE(second->Release().ok());
  auto after = runtime::ProjectLease::Read(leases.hosts, project);
  REQUIRE(after.ok());
  CHECK(after->records.empty());
}

TEST_CASE("lease lab: a holder that stops renewing is taken over after ttl", "[lab][lease]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LeaseLab leases = OpenLeaseLab(*lab);
  std::string project = Project("ttl");
  RecordCleanup cleanup{leases, project};
  cleanup.Run();

  auto first = StartLease(leases, project, "first@lab pid 1");
  REQUIRE(WaitHeld(*first, milliseconds(5000)));
  auto second = StartLease(leases, project, "second@lab pid 2");
  std::this_thread::sleep_for(2 * kRenew);
  REQUIRE_FALSE(second->Held());

  first->Abandon();  // as a killed watcher: the records stay, unrenewed
  CHECK_FALSE(first->Held());
  std::optional<milliseconds> took = WaitHeld(*second, kTtl + 6 * kRenew);
  REQUIRE(took);
  // The first wrote its last seq at most a renew period before the abandon;
  // the second sees it at its next round (a renew period plus up to 1 s of
  // jitter later) and takes at its first round a ttl after that, by its own
  // clock.
  CHECK(*took >= kTtl - kRenew - milliseconds(500));
  CHECK(*took <= kTtl + 2 * (kRenew + milliseconds(1000)) + milliseconds(500));
  CHECK(RecordHolders(leases, project) ==
        std::vector<std::string>(leases.hosts.size(), "second@lab pid 2"));
  REQUIRE(second->Release().ok());
}

TEST_CASE("lease lab: baton events prints the events the holder published", "[lab][lease]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LeaseLab leases = OpenLeaseLab(*lab);
  std::string project = Project("events");
  RecordCleanup cleanup{leases, project};
  cleanup.Run();

  auto holder = StartLease(leases, project, "watch@lab pid 1");
  REQUIRE(WaitHeld(*holder, milliseconds(5000)));
  std::string first = R"({"time":"2026-11-29T05:00:00Z","kind":"restart","project":")" + project +
                      R"(","service":"web","slot":2,"host":"lab1","message":"exit 3"})";
  std::string second = R"({"time":"2026-11-29T05:00:01Z","kind":"host-down","host":"lab2"})";
  holder->PublishEvents(first + "\n" + second + "\n");
  std::this_thread::sleep_for(kRenew + milliseconds(500));

  ProgramRun text = RunBaton(*lab, {"-p", project, "events", "--no-follow"});
  CHECK(text.exit_code == 0);
  CHECK(text.out == "2026-11-29T05:00:00Z restart project=" + project +
                        " service=web slot=2 host=lab1 message=\"exit 3\"\n"
                        "2026-11-29T05:00:01Z host-down host=lab2\n");
  ProgramRun json = RunBaton(*lab, {"-p", project, "events", "--no-follow", "--json"});
  CHECK(json.exit_code == 0);
  CHECK(json.out == first + "\n" + second + "\n");
  REQUIRE(holder->Release().ok());
}

}  // namespace
}  // namespace baton::lab_test
