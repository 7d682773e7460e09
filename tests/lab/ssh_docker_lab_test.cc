// The Docker API over the real SSH tunnel (HostConnection) to every lab host,
// and the host key checks of a first connection. Run by the lab fixture (see
// tests/lab/CMakeLists.txt); without it every case warns and checks nothing.

#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/lab/lab_layout.h"
#include "lab_fixture.h"
#include "runtime/docker_client.h"
#include "transport/host_connection.h"

namespace baton::lab_test {
namespace {

using runtime::DockerClient;
using std::chrono::seconds;
using transport::HostConfig;
using transport::HostConnection;

constexpr const char* kImage = "baton/busybox:lab";

DockerClient DockerThrough(const HostConnection& connection) {
  runtime::DockerOptions options;
  options.host = connection.host_name();
  options.socket_path = connection.socket_path().string();
  Result<DockerClient> docker = DockerClient::Connect(options);
  if (!docker.ok()) FAIL(docker.error().ToString());
  return std::move(*docker);
}

// Removes the test's container on every way out of the test.
struct RemoveOnExit {
  DockerClient& docker;
  std::string name;
  ~RemoveOnExit() {
    runtime::RemoveContainerOptions force;
    force.force = true;
    (void)docker.RemoveContainer(name, force);
  }
};

// The container's events since `since` (unix seconds), up to its death.
std::vector<std::string> ContainerActions(DockerClient& docker, const std::string& name,
                                          std::time_t since) {
  runtime::EventsOptions options;
  options.since = std::to_string(since);
  // The container has died already; `until` ends the stream even if its event were lost.
  options.until = std::to_string(std::time(nullptr) + 2);
  options.filters = {{"type", {"container"}}, {"container", {name}}};
  std::vector<std::string> actions;
  Status s = docker.StreamEvents(options, [&](const runtime::DockerEvent& e) {
    actions.push_back(e.action);
    return e.action != "die";
  });
  REQUIRE(s.ok());
  return actions;
}

// This process's established TCP connections to `address` port 22, from
// /proc/net/tcp, which prints an IPv4 address as the in-memory u32 in hex.
int SshConnectionsTo(const std::string& address) {
  in_addr ip{};
  REQUIRE(::inet_pton(AF_INET, address.c_str(), &ip) == 1);
  char remote[32];
  std::snprintf(remote, sizeof remote, "%08X:0016", ip.s_addr);
  std::ifstream table("/proc/self/net/tcp");
  std::string line;
  int count = 0;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, peer, state;
    fields >> slot >> local >> peer >> state;
    if (peer == remote && state == "01") ++count;  // 01: TCP_ESTABLISHED
  }
  return count;
}

// Create, start, logs, events, remove: every call through one client on one tunnel.
void EchoHostName(const HostConfig& host, const transport::SshOptions& ssh) {
  INFO("host " << host.name);
  auto connection = HostConnection::Open(host, ssh);
  if (!connection.ok()) FAIL(connection.error().ToString());
  DockerClient docker = DockerThrough(**connection);
  auto info = docker.Info();
  REQUIRE(info.ok());
  CHECK(info->name == host.name);  // the engine is the host's own, not a shared one
  std::string name = "baton-ssh-" + std::to_string(::getpid()) + "-" + host.name;
  RemoveOnExit cleanup{docker, name};
  std::time_t since = std::time(nullptr) - 1;
  runtime::ContainerSpec spec;
  spec.name = name;
  spec.image = kImage;
  spec.cmd = {"echo", host.name};
  REQUIRE(docker.CreateContainer(spec).ok());
  REQUIRE(docker.StartContainer(name).ok());
  Result<std::int64_t> code = docker.WaitContainer(name, seconds(20));
  REQUIRE(code.ok());
  CHECK(*code == 0);
  auto logs = docker.ReadLogs(name);
  REQUIRE(logs.ok());
  CHECK(logs->out == host.name + "\n");
  CHECK(ContainerActions(docker, name, since) ==
        std::vector<std::string>{"create", "start", "die"});
  REQUIRE(docker.RemoveContainer(name).ok());
  auto gone = docker.InspectContainer(name);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().kind == Error::Kind::kNotFound);
  CHECK((*connection)->Health().ok());
  CHECK(SshConnectionsTo(host.ssh.host) == 1);  // every call went through the one session
}

TEST_CASE("ssh docker lab: every host runs a container over its ssh tunnel",
          "[lab][ssh-docker-lab]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  REQUIRE(lab->hosts.size() == 3);
  for (const HostConfig& host : lab->hosts) {
    REQUIRE_FALSE(host.is_local());
    EchoHostName(host, lab->ssh);
  }
}

// A directory removed with everything in it when the test ends.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char name[] = "/tmp/baton-ssh-lab-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    path = name;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// "SHA256:..." of the lab host's key, as ssh-keygen prints it.
std::string HostKeyFingerprint(const Lab& lab, const std::string& host) {
  cli::lab::LabLayout layout(lab.dir);
  ProgramRun run =
      RunProgram({"/usr/bin/ssh-keygen", "-l", "-f", layout.host_key(host).string() + ".pub"});
  REQUIRE(run.exit_code == 0);
  std::istringstream words(run.out);  // "256 SHA256:... comment (ED25519)"
  std::string bits, fingerprint;
  words >> bits >> fingerprint;
  REQUIRE(fingerprint.rfind("SHA256:", 0) == 0);
  return fingerprint;
}

std::string ReadAll(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("ssh docker lab: an unknown host key is refused with its fingerprint",
          "[lab][ssh-docker-lab]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  TempDir dir;
  HostConfig host = lab->hosts.front();
  host.known_hosts_file = dir.path / "known_hosts";
  std::ofstream(host.known_hosts_file).close();
  auto connection = HostConnection::Open(host, lab->ssh);
  REQUIRE_FALSE(connection.ok());
  CHECK(connection.error().kind == Error::Kind::kNotFound);
  CHECK(connection.error().ToString() ==
        "host " + host.name + ": unknown host key ssh-ed25519 " +
            HostKeyFingerprint(*lab, host.name) + " for " + host.ssh.host + ":22 (not in " +
            host.known_hosts_file.string() +
            "); if that fingerprint is right, run again with --accept-new-host-keys to record it");
  CHECK(ReadAll(host.known_hosts_file).empty());
}

TEST_CASE("ssh docker lab: accepting new host keys connects and records the key",
          "[lab][ssh-docker-lab]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  TempDir dir;
  HostConfig host = lab->hosts.front();
  host.known_hosts_file = dir.path / "known_hosts";
  std::ofstream(host.known_hosts_file).close();
  transport::SshOptions accept = lab->ssh;
  accept.accept_new_host_keys = true;
  {
    auto connection = HostConnection::Open(host, accept);
    if (!connection.ok()) FAIL(connection.error().ToString());
  }
  // The recorded key is the host's own: the next connection trusts it without being told to.
  ProgramRun listed =
      RunProgram({"/usr/bin/ssh-keygen", "-l", "-f", host.known_hosts_file.string()});
  INFO(ReadAll(host.known_hosts_file));
  CHECK(listed.out.find(HostKeyFingerprint(*lab, host.name)) != std::string::npos);
  auto again = HostConnection::Open(host, lab->ssh);
  if (!again.ok()) FAIL(again.error().ToString());
}

}  // namespace
}  // namespace baton::lab_test
