// `baton hosts check` when some hosts fail: a stopped dockerd, an address
// nobody answers, a host name the hosts file lacks. Run by the lab fixture
// (see tests/lab/CMakeLists.txt); without it every case warns and checks
// nothing. The dockerd case stops one of the lab's engines and rebuilds the
// lab before it ends, so the tests after it find a working lab.

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/lab/lab_layout.h"
#include "lab_fixture.h"
#include "lab_restore.h"

namespace baton::lab_test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using transport::HostConfig;

const HostConfig& Named(const Lab& lab, const std::string& name) {
  for (const HostConfig& host : lab.hosts)
    if (host.name == name) return host;
  FAIL("no host " + name + " in " + lab.hosts_file.string());
  return lab.hosts.front();
}

bool Reachable(const std::string& row) { return row.find("  yes  ") != std::string::npos; }

TEST_CASE("host failures lab: a host whose dockerd is stopped is reported, the others go on",
          "[lab][host-failures-lab]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  REQUIRE(lab->hosts.size() == 3);
  const HostConfig& lab2 = Named(*lab, "lab2");
  LabRestorer restorer(*lab);
  StopDockerd(*lab, "lab2");
  ProgramRun check = RunBaton(*lab, {"hosts", "check"});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 1);
  CHECK(Reachable(RowOf(check.out, "lab1")));
  CHECK(Reachable(RowOf(check.out, "lab3")));
  std::string row = RowOf(check.out, "lab2");
  CHECK_FALSE(Reachable(row));
  std::string why = "host lab2: open " + lab2.socket +
                    ": the host's sshd refused the channel (open failed): is Docker running, is "
                    "the socket path right, and does sshd allow forwarding (AllowTcpForwarding, "
                    "AllowStreamLocalForwarding)?";
  CHECK(row.size() > why.size());
  CHECK(row.substr(row.size() - std::min(row.size(), why.size())) == why);

  REQUIRE(restorer.Restore() == 0);
  ProgramRun after = RunBaton(*lab, {"hosts", "check"});
  INFO(after.out << after.err);
  CHECK(after.exit_code == 0);
}

TEST_CASE("host failures lab: an unreachable address times out alone within its connect timeout",
          "[lab][host-failures-lab]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  const HostConfig& lab1 = lab->hosts.front();
  char dir[] = "/tmp/baton-failures-lab-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  std::filesystem::path hosts_file = std::filesystem::path(dir) / "hosts.yaml";
  // 10.209.0.99 is on the lab's bridge, and no lab host has it.
  std::ofstream(hosts_file) << "hosts:\n"
                            << "  - name: " << lab1.name << "\n"
                            << "    address: " << lab1.address() << "\n"
                            << "    socket: " << lab1.socket << "\n"
                            << "    identity_file: " << lab1.identity_file.string() << "\n"
                            << "    known_hosts_file: " << lab1.known_hosts_file.string() << "\n"
                            << "  - name: ghost\n"
                            << "    address: ssh://root@10.209.0.99:22\n"
                            << "    identity_file: " << lab1.identity_file.string() << "\n"
                            << "settings:\n"
                            << "  connect_timeout: 2s\n";
  Clock::time_point start = Clock::now();
  ProgramRun check = RunBaton(*lab, {"--hosts", hosts_file.string(), "hosts", "check"});
  Clock::duration took = Clock::now() - start;
  std::filesystem::remove_all(dir);
  INFO(check.out << check.err);
  CHECK(check.exit_code == 1);
  CHECK(took >= milliseconds(1900));
  CHECK(took < milliseconds(4000));
  CHECK(Reachable(RowOf(check.out, lab1.name)));
  std::string row = RowOf(check.out, "ghost");
  CHECK_FALSE(Reachable(row));
  std::string why = "host ghost: connect to 10.209.0.99:22: timed out after 2s";
  CHECK(row.substr(row.size() - std::min(row.size(), why.size())) == why);
}

TEST_CASE("host failures lab: check takes host names and checks only those",
          "[lab][host-failures-lab]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  ProgramRun check = RunBaton(*lab, {"hosts", "check", "lab3", "lab1"});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK(Reachable(RowOf(check.out, "lab1")));
  CHECK(Reachable(RowOf(check.out, "lab3")));
  CHECK(RowOf(check.out, "lab2").empty());
}

TEST_CASE("host failures lab: an unknown host name is an error naming the known ones",
          "[lab][host-failures-lab]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  ProgramRun check = RunBaton(*lab, {"hosts", "check", "lab1", "lab9"});
  CHECK(check.exit_code == 1);
  CHECK(check.out.empty());
  CHECK(check.err == "baton: unknown host \"lab9\" (known: lab1, lab2, lab3)\n");
}

}  // namespace
}  // namespace baton::lab_test
