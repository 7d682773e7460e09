#pragma once
// What the lab tests in ssh_docker_lab_test.cc and host_failures_lab_test.cc
// share: the lab's hosts as the fixture describes them (BATON_LAB_DIR,
// BATON_HOSTS, BATON_BINARY), and running a program without a shell.

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/host_options.h"
#include "runtime/docker_client.h"
#include "transport/host_config.h"
#include "transport/ssh_session.h"

namespace baton::lab_test {

struct Lab {
  std::filesystem::path dir;         // $BATON_LAB_DIR
  std::filesystem::path hosts_file;  // $BATON_HOSTS
  std::string binary;                // $BATON_BINARY
  std::vector<transport::HostConfig> hosts;
  transport::SshOptions ssh;
};

// The lab, or nullopt (with a warning) when the test does not run under the
// lab fixture, so that a plain run of the binary checks nothing.
inline std::optional<Lab> LabFromEnvironment() {
  const char* dir = std::getenv("BATON_LAB_DIR");
  const char* hosts = std::getenv("BATON_HOSTS");
  const char* binary = std::getenv("BATON_BINARY");
  if (dir == nullptr || hosts == nullptr || binary == nullptr || *hosts == '\0') {
    WARN(
        "BATON_LAB_DIR, BATON_HOSTS or BATON_BINARY is not set: skipped (run by the lab "
        "fixture after `baton lab up 3`)");
    return std::nullopt;
  }
  auto inventory = cli::SelectHostsFromProcess(cli::HostOptions{}, "");
  if (!inventory.ok()) FAIL(inventory.error().ToString());
  auto ssh = cli::MakeSshOptions(cli::HostOptions{}, inventory->settings);
  if (!ssh.ok()) FAIL(ssh.error().ToString());
  return Lab{dir, hosts, binary, inventory->hosts, *ssh};
}

struct ProgramRun {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// Appends what is ready on `fd` to `text`; false at end of file.
inline bool Drain(int fd, std::string& text) {
  char buffer[4096];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) text.append(buffer, static_cast<size_t>(n));
  return n > 0;
}

// Runs `argv` (argv[0] a path, no shell) and collects both its outputs.
inline ProgramRun RunProgram(const std::vector<std::string>& argv) {
  int out_pipe[2], err_pipe[2];
  REQUIRE(::pipe2(out_pipe, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(err_pipe, O_CLOEXEC) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ProgramRun run;
  // Both pipes are read as data comes, so a chatty stderr cannot block the child.
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* texts[2] = {&run.out, &run.err};
  for (int open = 2; open > 0;) {
    if (::poll(fds, 2, -1) < 0) continue;
    for (int i = 0; i < 2; ++i)
      if (fds[i].fd >= 0 && fds[i].revents != 0 && !Drain(fds[i].fd, *texts[i])) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

// The baton binary with `args`.
inline ProgramRun RunBaton(const Lab& lab, std::vector<std::string> args) {
  args.insert(args.begin(), lab.binary);
  return RunProgram(args);
}

// lab1's engine through the socket in BATON_TEST_DOCKER_SOCKET; nullopt (the
// test skips) outside the lab.
inline std::optional<runtime::DockerClient> LabDocker() {
  const char* socket = std::getenv("BATON_TEST_DOCKER_SOCKET");
  if (socket == nullptr || *socket == '\0') {
    WARN("BATON_TEST_DOCKER_SOCKET is not set: skipped (needs a lab dockerd socket)");
    return std::nullopt;
  }
  runtime::DockerOptions options;
  options.host = "lab1";
  options.socket_path = socket;
  auto docker = runtime::DockerClient::Connect(options);
  if (!docker.ok()) FAIL(docker.error().ToString());
  return std::move(*docker);
}

// Each host's engine through its own socket in the lab directory, not
// through baton's SSH tunnel, so tests check the hosts independently of it.
inline std::map<std::string, runtime::DockerClient> Engines(const Lab& lab) {
  std::map<std::string, runtime::DockerClient> engines;
  for (const transport::HostConfig& host : lab.hosts) {
    runtime::DockerOptions options;
    options.host = host.name;
    options.socket_path = (lab.dir / "hosts" / host.name / "run" / "docker.sock").string();
    auto client = runtime::DockerClient::Connect(options);
    if (!client.ok()) FAIL(client.error().ToString());
    engines.emplace(host.name, std::move(*client));
  }
  return engines;
}

// The line of `table` whose first column is `name`; "" when there is none.
inline std::string RowOf(const std::string& table, const std::string& name) {
  size_t at = 0;
  while (at < table.size()) {
    size_t end = table.find('\n', at);
    if (end == std::string::npos) end = table.size();
    std::string line = table.substr(at, end - at);
    if (line.rfind(name + " ", 0) == 0) return line;
    at = end + 1;
  }
  return "";
}

// The docker CLI against `host`'s engine through its socket in the lab
// directory (reachable also while the host's link is cut).
inline ProgramRun LabDockerCli(const Lab& lab, const std::string& host,
                               std::vector<std::string> args) {
  std::string socket = "unix://" + (lab.dir / "hosts" / host / "run" / "docker.sock").string();
  args.insert(args.begin(), {"/usr/bin/docker", "-H", socket});
  return RunProgram(args);
}

// The addresses busybox nslookup prints for `name` inside `container` on
// `host`: the "Address:" lines after a "Name:" line (the first ones are the
// server's). Empty when the name does not resolve.
inline std::set<std::string> NsLookup(const Lab& lab, const std::string& host,
                                      const std::string& container, const std::string& name) {
  ProgramRun run = LabDockerCli(lab, host, {"exec", container, "nslookup", name});
  std::set<std::string> addresses;
  std::istringstream lines(run.out);
  bool answer = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Name:", 0) == 0) answer = true;
    if (!answer || line.rfind("Address:", 0) != 0) continue;
    addresses.insert(line.substr(line.find_first_not_of(" \t", 8)));
  }
  return addresses;
}

}  // namespace baton::lab_test
