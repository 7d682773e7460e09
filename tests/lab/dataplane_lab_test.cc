// The netd dataplane on two real lab hosts, driven from this process: each
// host's work runs on a thread of its own that has entered that host's
// network namespace (setns affects only the calling thread, and the commands
// the dataplane forks inherit it). Containers and networks are made through
// each host's own engine with the docker CLI.

#include <fcntl.h>
#include <sched.h>

#include <thread>

#include "lab_fixture.h"
#include "runtime/netd/dataplane.h"

namespace baton::netd {
namespace {

using lab_test::ProgramRun;
using lab_test::RunProgram;

constexpr char kDocker[] = "/usr/local/bin/docker";
constexpr char kNetwork[] = "dataplane_net";
constexpr char kOtherNetwork[] = "dataplane_other";
constexpr char kListener[] = "dataplane-listener";  // on lab2
constexpr char kClient[] = "dataplane-client";      // on lab1, same network
constexpr char kOutsider[] = "dataplane-outsider";  // on lab1, the other network

const Peer kLab1{"lab1", "10.209.0.11"};
const Peer kLab2{"lab2", "10.209.0.12"};

ProgramRun Docker(const lab_test::Lab& lab, const std::string& host,
                  std::vector<std::string> args) {
  std::string socket = (lab.dir / "hosts" / host / "run" / "docker.sock").string();
  args.insert(args.begin(), {kDocker, "-H", "unix://" + socket});
  return RunProgram(args);
}

// Runs `work` on a thread inside `host`'s network namespace and returns its result.
template <typename Work>
auto InHost(const std::string& host, Work work) -> decltype(work()) {
  decltype(work()) result = Error::Internal("", "host thread did not run");
  std::thread thread([&] {
    int fd = ::open(("/run/netns/batonlab-" + host).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
      result = Error::Internal("", "cannot enter the network namespace of " + host);
    } else {
      result = work();
    }
    if (fd >= 0) ::close(fd);
  });
  thread.join();
  return result;
}

// What a host looks like after Cleanup: the lines that name anything of netd's.
Result<std::string> Leftovers() {
  auto runner = MakeHostCommandRunner("/");
  std::string found;
  for (const char* table : {"filter", "nat", "mangle"}) {
    auto listing = runner->Run({"iptables", "-w", "-t", table, "-S"});
    if (!listing.ok()) return listing.error();
    size_t at = 0;
    while ((at = listing->find("BATON-", at)) != std::string::npos) {
      size_t begin = listing->rfind('\n', at);
      begin = begin == std::string::npos ? 0 : begin + 1;
      size_t end = listing->find('\n', at);
      found += std::string(table) + ": " + listing->substr(begin, end - begin) + "\n";
      at = end;
    }
  }
  auto routes = runner->Run({"ip", "route", "show", "proto", "186"});
  if (!routes.ok()) return routes.error();
  found += *routes;
  auto link = runner->Run({"ip", "-o", "link", "show"});
  if (!link.ok()) return link.error();
  if (link->find(kVxlanDevice) != std::string::npos) found += "device baton-vx\n";
  return found;
}

NetdConfig ConfigFor(const Peer& self, OverlayMode mode) {
  NetdConfig config;
  config.host = self.name;
  config.overlay = mode;
  config.hosts = {kLab1, kLab2, {"lab3", "10.209.0.13"}};
  return config;
}

HostNetwork Slice(const std::string& name, const std::string& third_octet) {
  return {name, "10.210." + third_octet + ".0/24", "10.210." + third_octet + ".1"};
}

// The engine objects of one scenario: a network spanning lab1 and lab2 with
// a client on lab1 and a listener on lab2 that answers every connection with
// its own `netstat -tn` (so the client reads the source address the listener
// saw), and a second network on lab1 with an outsider. Removed on destruction.
class LabScenario {
 public:
  explicit LabScenario(const lab_test::Lab& lab) : lab_(lab) {
    RemoveAll();
    Make("lab1", {"network", "create", "--subnet", "10.210.201.0/24", "--gateway", "10.210.201.1",
                  kNetwork});
    Make("lab1", {"network", "create", "--subnet", "10.210.203.0/24", "--gateway", "10.210.203.1",
                  kOtherNetwork});
    Make("lab2", {"network", "create", "--subnet", "10.210.202.0/24", "--gateway", "10.210.202.1",
                  kNetwork});
    Make("lab1", {"run", "-d", "--name", kClient, "--network", kNetwork, "--ip", "10.210.201.10",
                  "baton/busybox:lab", "sleep", "600"});
    Make("lab1", {"run", "-d", "--name", kOutsider, "--network", kOtherNetwork, "--ip",
                  "10.210.203.10", "baton/busybox:lab", "sleep", "600"});
    Make("lab2", {"run", "-d", "--name", kListener, "--network", kNetwork, "--ip",
                  "10.210.202.10", "baton/busybox:lab", "nc", "-ll", "-p", "9000", "-e",
                  "netstat", "-tn"});
  }
  ~LabScenario() { RemoveAll(); }

  DataplaneInput Lab1Input(const std::string& lab2_mac) const {
    return {{Slice(kNetwork, "201"), Slice(kOtherNetwork, "203")},
            {{kLab2, lab2_mac, {Slice(kNetwork, "202")}}}};
  }
  DataplaneInput Lab2Input(const std::string& lab1_mac) const {
    return {{Slice(kNetwork, "202")},
            {{kLab1, lab1_mac, {Slice(kNetwork, "201"), Slice(kOtherNetwork, "203")}}}};
  }

  // What `container` on lab1 reads from the listener (empty when it cannot connect).
  ProgramRun Connect(const std::string& container) const {
    return Docker(lab_, "lab1", {"exec", container, "nc", "-w", "3", "10.210.202.10", "9000"});
  }

 private:
  void Make(const std::string& host, std::vector<std::string> args) {
    ProgramRun run = Docker(lab_, host, args);
    if (run.exit_code != 0) FAIL("docker " + args[0] + " on " + host + ": " + run.err);
  }
  void RemoveAll() {
    Docker(lab_, "lab1", {"rm", "-f", kClient, kOutsider});
    Docker(lab_, "lab2", {"rm", "-f", kListener});
    Docker(lab_, "lab1", {"network", "rm", kNetwork, kOtherNetwork});
    Docker(lab_, "lab2", {"network", "rm", kNetwork});
  }

  const lab_test::Lab& lab_;
};

// Skips while a real netd runs on lab1 or lab2: its rules and this test's are
// the same chains.
bool NetdRunsInLab(const lab_test::Lab& lab) {
  for (const char* host : {"lab1", "lab2"}) {
    ProgramRun run = Docker(lab, host, {"ps", "-q", "--filter", "label=baton.role=netd"});
    if (!run.out.empty()) return true;
  }
  return false;
}

struct TwoHosts {
  std::unique_ptr<CommandRunner> runner1 = MakeHostCommandRunner("/");
  std::unique_ptr<CommandRunner> runner2 = MakeHostCommandRunner("/");
  Dataplane lab1;
  Dataplane lab2;
  explicit TwoHosts(OverlayMode mode)
      : lab1(ConfigFor(kLab1, mode), *runner1), lab2(ConfigFor(kLab2, mode), *runner2) {}
  // Removes netd's state even when a check failed half-way.
  ~TwoHosts() {
    (void)InHost("lab1", [&] { return lab1.Cleanup(); });
    (void)InHost("lab2", [&] { return lab2.Cleanup(); });
  }
};

Status Converge(TwoHosts& hosts, const LabScenario& scenario) {
  if (auto s = InHost("lab1", [&] { return hosts.lab1.Start(); }); !s.ok()) return s;
  if (auto s = InHost("lab2", [&] { return hosts.lab2.Start(); }); !s.ok()) return s;
  auto input1 = scenario.Lab1Input(hosts.lab2.vxlan_mac());
  auto input2 = scenario.Lab2Input(hosts.lab1.vxlan_mac());
  if (auto s = InHost("lab1", [&] { return hosts.lab1.Apply(input1); }); !s.ok()) return s;
  return InHost("lab2", [&] { return hosts.lab2.Apply(input2); });
}

// The whole behaviour in one mode: reach, real source, isolation, cleanup.
void CheckMode(OverlayMode mode) {
  auto lab = lab_test::LabFromEnvironment();
  if (!lab) return;
  if (NetdRunsInLab(*lab)) {
    WARN("a baton-netd runs on lab1 or lab2: skipped");
    return;
  }
  LabScenario scenario(*lab);
  {
    TwoHosts hosts(mode);
    Status converged = Converge(hosts, scenario);
    INFO((converged.ok() ? "" : converged.error().ToString()));
    REQUIRE(converged.ok());
    if (mode == OverlayMode::kVxlan) {
      CHECK(hosts.lab1.vxlan_mac().rfind("02:ba:", 0) == 0);
      CHECK(hosts.lab1.vxlan_mac() != hosts.lab2.vxlan_mac());
    }
    ProgramRun reached = scenario.Connect(kClient);
    INFO(reached.out + reached.err);
    CHECK(reached.exit_code == 0);
    // netstat's "Foreign Address" column: the client's own address, not lab1's.
    CHECK(reached.out.find("10.210.202.10:9000 ::ffff:10.210.201.10:") != std::string::npos);
    ProgramRun outsider = scenario.Connect(kOutsider);
    INFO(outsider.out + outsider.err);
    CHECK(outsider.out.find("Active Internet connections") == std::string::npos);

    auto cleaned1 = InHost("lab1", [&] { return hosts.lab1.Cleanup(); });
    auto cleaned2 = InHost("lab2", [&] { return hosts.lab2.Cleanup(); });
    CHECK(cleaned1.ok());
    CHECK(cleaned2.ok());
  }
  auto left1 = InHost("lab1", [] { return Leftovers(); });
  auto left2 = InHost("lab2", [] { return Leftovers(); });
  REQUIRE(left1.ok());
  REQUIRE(left2.ok());
  CHECK(*left1 == "");
  CHECK(*left2 == "");
  CHECK(scenario.Connect(kClient).exit_code != 0);  // nothing routes the slices any more
}

TEST_CASE("dataplane lab: routes mode joins one network across hosts and only that one",
          "[lab][dataplane]") {
  CheckMode(OverlayMode::kRoutes);
}

TEST_CASE("dataplane lab: vxlan mode joins one network across hosts and only that one",
          "[lab][dataplane]") {
  CheckMode(OverlayMode::kVxlan);
}

// Docker's name for the bridge of the network whose id `create_output` printed.
std::string BridgeOf(const std::string& create_output) {
  return "br-" + create_output.substr(0, 12);
}

// The first rule of nat POSTROUTING on the calling thread's host.
Result<std::string> FirstNatRule() {
  auto listing = MakeHostCommandRunner("/")->Run({"iptables", "-w", "-t", "nat", "-S",
                                                  "POSTROUTING"});
  if (!listing.ok()) return listing.error();
  size_t at = listing->find("-A POSTROUTING ");
  if (at == std::string::npos) return std::string();
  return listing->substr(at, listing->find('\n', at) - at);
}

TEST_CASE("dataplane lab: apply puts the nat jump back on top after dockerd adds a network",
          "[lab][dataplane]") {
  auto lab = lab_test::LabFromEnvironment();
  if (!lab) return;
  if (NetdRunsInLab(*lab)) {
    WARN("a baton-netd runs on lab1 or lab2: skipped");
    return;
  }
  LabScenario scenario(*lab);
  TwoHosts hosts(OverlayMode::kRoutes);
  REQUIRE(Converge(hosts, scenario).ok());
  Docker(*lab, "lab1", {"network", "rm", "dataplane_late"});
  ProgramRun created = Docker(*lab, "lab1", {"network", "create", "--subnet", "10.210.204.0/24",
                                             "dataplane_late"});
  REQUIRE(created.exit_code == 0);
  auto pushed_down = InHost("lab1", [] { return FirstNatRule(); });
  auto input = scenario.Lab1Input("");
  auto applied = InHost("lab1", [&] { return hosts.lab1.Apply(input); });
  auto on_top = InHost("lab1", [] { return FirstNatRule(); });
  Docker(*lab, "lab1", {"network", "rm", "dataplane_late"});
  REQUIRE(pushed_down.ok());
  CHECK(*pushed_down == "-A POSTROUTING -s 10.210.204.0/24 ! -o " + BridgeOf(created.out) +
                            " -j MASQUERADE");
  CHECK(applied.ok());
  REQUIRE(on_top.ok());
  CHECK(*on_top == "-A POSTROUTING -j BATON-POSTROUTING");
}

}  // namespace
}  // namespace baton::netd
