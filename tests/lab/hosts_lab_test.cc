// `baton hosts check` against the 3-host lab (`baton lab up 3`). The lab
// fixture runs these with BATON_HOSTS set to the lab's hosts file (and, for
// the cases that run the binary, BATON_BINARY); without it every case warns
// and checks nothing, like the other lab tests built into lab_tests.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/host_options.h"
#include "cli/hosts_command.h"

namespace baton::cli {
namespace {

using Clock = std::chrono::steady_clock;
using transport::HostConfig;

// Any ed25519 key that is not a lab host's.
constexpr const char* kStrangerKey =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPTdDua/09QEY6YvnPORBxCZ7Yzjo7qMFAYPbL5GfHQD";

struct Lab {
  std::vector<HostConfig> hosts;
  transport::SshOptions ssh;
};

std::optional<Lab> LabHosts() {
  const char* file = std::getenv("BATON_HOSTS");
  if (file == nullptr || *file == '\0') {
    WARN("BATON_HOSTS is not set: skipped (run by the lab fixture after `baton lab up 3`)");
    return std::nullopt;
  }
  auto inventory = SelectHostsFromProcess(HostOptions{}, "");
  if (!inventory.ok()) FAIL(inventory.error().ToString());
  auto ssh = MakeSshOptions(HostOptions{}, inventory->settings);
  if (!ssh.ok()) FAIL(ssh.error().ToString());
  return Lab{inventory->hosts, *ssh};
}

std::string Joined(const std::vector<HostCheck>& checks) {
  return RenderHostChecks(checks);  // shown when a check fails
}

// Runs the baton binary with `args` (no shell); returns its exit status and stdout.
int RunBaton(const std::vector<std::string>& args, std::string& out) {
  const char* binary = std::getenv("BATON_BINARY");
  REQUIRE(binary != nullptr);
  int pipe_fds[2];
  REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    std::vector<char*> argv{const_cast<char*>(binary)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(binary, argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    out.append(buffer, static_cast<size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST_CASE("hosts lab: every lab host is reachable with its docker facts", "[hosts_lab]") {
  auto lab = LabHosts();
  if (!lab) return;
  std::vector<HostCheck> checks = CheckHosts(lab->hosts, lab->ssh);
  INFO(Joined(checks));
  REQUIRE(checks.size() == 3);
  for (const HostCheck& check : checks) {
    CHECK(check.reachable);
    CHECK(check.error.empty());
    CHECK_FALSE(check.docker_version.empty());
    CHECK(check.os == "linux");
    CHECK(check.cpus > 0);
    CHECK(check.memory_bytes > 0);
    REQUIRE(check.ssh_round_trip.has_value());
    CHECK(*check.ssh_round_trip < std::chrono::milliseconds(50));
    CHECK(check.labels.count("zone") == 1);
  }
}

TEST_CASE("hosts lab: hosts are checked in parallel", "[hosts_lab]") {
  auto lab = LabHosts();
  if (!lab) return;
  Clock::duration sequential{0};
  for (const HostConfig& host : lab->hosts) {
    Clock::time_point start = Clock::now();
    CHECK(CheckHosts({host}, lab->ssh).front().reachable);
    sequential += Clock::now() - start;
  }
  Clock::time_point start = Clock::now();
  std::vector<HostCheck> checks = CheckHosts(lab->hosts, lab->ssh);
  Clock::duration parallel = Clock::now() - start;
  // Three hosts one after another take about three times one; at once, about one.
  CHECK(parallel < sequential * 3 / 4);
}

TEST_CASE("hosts lab: a refused host fails alone, with its reason", "[hosts_lab]") {
  auto lab = LabHosts();
  if (!lab) return;
  HostConfig wrong_port = lab->hosts.front();
  wrong_port.name = "wrong-port";
  wrong_port.ssh.port = 2;
  std::vector<HostConfig> hosts = lab->hosts;
  hosts.push_back(wrong_port);
  std::vector<HostCheck> checks = CheckHosts(hosts, lab->ssh);
  INFO(Joined(checks));
  REQUIRE(checks.size() == 4);
  for (size_t i = 0; i < 3; ++i) CHECK(checks[i].reachable);
  CHECK_FALSE(checks[3].reachable);
  CHECK(checks[3].error ==
        "host wrong-port: connect to " + wrong_port.ssh.host + ":2: connection refused");
}

TEST_CASE("hosts lab: a changed host key is refused", "[hosts_lab]") {
  auto lab = LabHosts();
  if (!lab) return;
  char dir[] = "/tmp/baton-hosts-lab-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  HostConfig host = lab->hosts.front();
  host.known_hosts_file = std::string(dir) + "/known_hosts";
  std::ofstream(host.known_hosts_file) << host.ssh.host << " " << kStrangerKey << "\n";
  transport::SshOptions ssh = lab->ssh;
  ssh.accept_new_host_keys = true;  // must not matter for a changed key
  HostCheck check = CheckHosts({host}, ssh).front();
  std::filesystem::remove_all(dir);
  CHECK_FALSE(check.reachable);
  std::string expected = "host " + host.name + ": host key for " + host.ssh.host +
                         ":22 has changed: the server now offers ssh-ed25519 SHA256:";
  CHECK(check.error.substr(0, expected.size()) == expected);
}

TEST_CASE("hosts lab: a wrong docker socket path is reported", "[hosts_lab]") {
  auto lab = LabHosts();
  if (!lab) return;
  HostConfig host = lab->hosts.front();
  host.socket = "/nonexistent/docker.sock";
  HostCheck check = CheckHosts({host}, lab->ssh).front();
  CHECK_FALSE(check.reachable);
  CHECK(check.ssh_round_trip.has_value());
  CHECK(check.error ==
        "host " + host.name +
            ": open /nonexistent/docker.sock: the host's sshd refused the "
            "channel (open failed): is Docker running, is the socket path right, and does sshd "
            "allow forwarding (AllowTcpForwarding, AllowStreamLocalForwarding)?");
}

TEST_CASE("hosts lab: the binary prints every host as JSON and exits 0", "[hosts_lab]") {
  auto lab = LabHosts();
  if (!lab) return;
  if (std::getenv("BATON_BINARY") == nullptr) {
    WARN("BATON_BINARY is not set: skipped");
    return;
  }
  std::string out;
  CHECK(RunBaton({"hosts", "check", "--format", "json"}, out) == 0);
  nlohmann::json rows = nlohmann::json::parse(out, nullptr, false);
  INFO(out);
  REQUIRE(rows.is_array());
  REQUIRE(rows.size() == lab->hosts.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i]["name"] == lab->hosts[i].name);
    CHECK(rows[i]["reachable"] == true);
    CHECK(rows[i]["error"].is_null());
  }
}

TEST_CASE("hosts lab: the binary exits 1 when a host fails", "[hosts_lab]") {
  auto lab = LabHosts();
  if (!lab) return;
  if (std::getenv("BATON_BINARY") == nullptr) {
    WARN("BATON_BINARY is not set: skipped");
    return;
  }
  std::string address = "ssh://root@" + lab->hosts.front().ssh.host + ":2";
  std::string out;
  CHECK(RunBaton({"-H", address, "hosts", "check"}, out) == 1);
  CHECK(out.find("connect to " + lab->hosts.front().ssh.host + ":2: connection refused") !=
        std::string::npos);
}

}  // namespace
}  // namespace baton::cli
