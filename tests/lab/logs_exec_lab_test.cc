// `baton logs` and `baton exec` end to end against the lab: replicas of a
// project "logs-test" made directly with DockerClient on lab1 and lab2
// (labelled as baton labels its replicas), then the built binary run on a
// small compose file naming that project. Run by the lab fixture (see
// tests/lab/CMakeLists.txt); without it every case warns and checks nothing.
// Everything is removed when each test ends.

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "lab_fixture.h"
#include "planner/labels.h"
#include "runtime/host_pool.h"

namespace baton::lab_test {
namespace {

using Clock = std::chrono::steady_clock;
using runtime::DockerClient;
using runtime::HostPool;

constexpr char kProject[] = "logs-test";

// The lab's engines, with every container of the project removed before
// and after the test, and a compose file naming the project.
struct LogsLab {
  explicit LogsLab(const Lab& lab) : lab(lab), pool(HostPool::Open(lab.hosts, lab.ssh)) {
    for (const runtime::HostHandle& host : pool.hosts())
      if (!host.reachable()) FAIL(host.error->ToString());
    char dir_template[] = "/tmp/baton-logs-lab-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    dir = dir_template;
    std::ofstream(dir / "compose.yaml") << "name: logs-test\nservices:\n  web:\n"
                                           "    image: baton/busybox:lab\n";
    Clean();
  }
  ~LogsLab() {
    Clean();
    std::filesystem::remove_all(dir);
  }

  DockerClient& Docker(const std::string& host) {
    Result<DockerClient*> docker = pool.Docker(host);
    if (!docker.ok()) FAIL(docker.error().ToString());
    return **docker;
  }

  // Starts replica `slot` of web on `host`, running `script` in sh.
  void StartReplica(const std::string& host, int slot, const std::string& script) {
    namespace labels = planner::labels;
    runtime::ContainerSpec spec;
    spec.name = std::string(kProject) + "-web-" + std::to_string(slot);
    spec.image = "baton/busybox:lab";
    spec.cmd = std::vector<std::string>{"sh", "-c", script};
    spec.labels = {{labels::kProject, kProject},
                   {labels::kService, "web"},
                   {labels::kContainerNumber, std::to_string(slot)},
                   {labels::kOneoff, "False"},
                   {labels::kManaged, "true"},
                   {labels::kSlot, std::to_string(slot)},
                   {labels::kHost, host}};
    auto created = Docker(host).CreateContainer(spec);
    if (!created.ok()) FAIL(created.error().ToString());
    if (auto started = Docker(host).StartContainer(created->id); !started.ok())
      FAIL(started.error().ToString());
  }

  // Waits until the replica's log holds `text` (its script has run so far).
  void AwaitLog(const std::string& host, int slot, const std::string& text) {
    std::string name = std::string(kProject) + "-web-" + std::to_string(slot);
    for (auto end = Clock::now() + std::chrono::seconds(20); Clock::now() < end;) {
      auto logs = Docker(host).ReadLogs(name);
      if (logs.ok() && (logs->out + logs->err).find(text) != std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL(name + " never wrote " + text);
  }

  // baton with the lab's hosts and the compose file, then `args`.
  std::vector<std::string> Baton(std::vector<std::string> args) const {
    std::vector<std::string> argv{lab.binary, "--hosts", lab.hosts_file.string(), "-f",
                                  (dir / "compose.yaml").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  void Clean() {
    runtime::Filters mine = {{"label", {std::string(planner::labels::kProject) + "=" + kProject}}};
    for (runtime::HostHandle& host : pool.hosts()) {
      if (!host.reachable()) continue;
      if (auto list = host.docker->ListContainers(true, mine); list.ok())
        for (const auto& c : *list) (void)host.docker->RemoveContainer(c.id, {true, true});
    }
  }

  const Lab& lab;
  HostPool pool;
  std::filesystem::path dir;
};

std::vector<char*> Argv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// Runs `args` with `input` on its stdin, writing and reading at once so that
// neither side can block the other.
ProgramRun RunWithInput(const std::vector<std::string>& args, const std::string& input) {
  int in[2], out[2], err[2];
  REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(err, O_CLOEXEC) == 0);
  std::vector<char*> argv = Argv(args);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  ::fcntl(in[1], F_SETFL, O_NONBLOCK);
  ProgramRun run;
  size_t written = 0;
  pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
  std::string* texts[2] = {&run.out, &run.err};
  if (input.empty()) {
    ::close(in[1]);
    fds[2].fd = -1;
  }
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (::poll(fds, 3, 30000) <= 0) break;
    for (int i = 0; i < 2; ++i)
      if (fds[i].fd >= 0 && fds[i].revents != 0 && !Drain(fds[i].fd, *texts[i])) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
      }
    if (fds[2].fd >= 0 && fds[2].revents != 0) {
      ssize_t n = ::write(in[1], input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 || written == input.size()) {
        ::close(in[1]);
        fds[2].fd = -1;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

// A child on a new pseudo-terminal of `rows` x `columns`, as a person's shell.
struct PtyChild {
  pid_t pid = -1;
  int master = -1;
  std::string seen;

  PtyChild(const std::vector<std::string>& args, unsigned short rows, unsigned short columns) {
    master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    std::string slave_name = ::ptsname(master);
    winsize size{rows, columns, 0, 0};
    std::vector<char*> argv = Argv(args);
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::setsid();
      int slave = ::open(slave_name.c_str(), O_RDWR);  // becomes the controlling terminal
      ::ioctl(slave, TIOCSWINSZ, &size);
      ::dup2(slave, STDIN_FILENO);
      ::dup2(slave, STDOUT_FILENO);
      ::dup2(slave, STDERR_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~PtyChild() { ::close(master); }

  void Send(const std::string& text) {
    REQUIRE(::write(master, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  }
  // Reads until `text` has been seen, or end of output, or 20 s.
  bool Await(const std::string& text) {
    for (auto end = Clock::now() + std::chrono::seconds(20); Clock::now() < end;) {
      if (seen.find(text) != std::string::npos) return true;
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 200) > 0 && !Drain(master, seen)) break;  // EIO: the child is gone
    }
    return seen.find(text) != std::string::npos;
  }
  int Wait() {
    Await("\x04never");  // reads what is left until the terminal closes
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

TEST_CASE("logs: the replicas on two hosts are shown with their prefixes", "[lab][logs]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LogsLab logs(*lab);
  logs.StartReplica("lab2", 1, "echo one; echo two >&2; echo three; sleep 300");
  logs.StartReplica("lab1", 2, "sleep 0.5; echo four; sleep 300");
  logs.AwaitLog("lab2", 1, "three");
  logs.AwaitLog("lab1", 2, "four");
  ProgramRun run = RunProgram(logs.Baton({"logs", "--no-color"}));
  CHECK(run.exit_code == 0);
  CHECK(run.out == "web-1@lab2 | one\nweb-1@lab2 | three\nweb-2@lab1 | four\n");
  CHECK(run.err == "web-1@lab2 | two\n");
}

TEST_CASE("logs: --tail, -t and --no-log-prefix shape the lines", "[lab][logs]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LogsLab logs(*lab);
  logs.StartReplica("lab2", 1, "echo one; echo two; echo three; sleep 300");
  logs.AwaitLog("lab2", 1, "three");
  ProgramRun run = RunProgram(logs.Baton({"logs", "--tail", "2", "-t", "--no-log-prefix", "web"}));
  CHECK(run.exit_code == 0);
  // Each line is the engine's stamp ("2026-11-28T20:10:57.206745458Z", 30
  // characters), a space and the text, with no prefix.
  REQUIRE(run.out.size() == (30 + 1 + 4) + (30 + 1 + 6));
  CHECK(run.out.substr(0, 2) == "20");
  CHECK(run.out.substr(29, 6) == "Z two\n");
  CHECK(run.out.substr(35 + 29) == "Z three\n");
}

TEST_CASE("logs: an unreachable host is named and the exit code is 1", "[lab][logs]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LogsLab logs(*lab);
  logs.StartReplica("lab2", 1, "echo here; sleep 300");
  logs.AwaitLog("lab2", 1, "here");
  std::filesystem::path hosts = logs.dir / "hosts.yaml";
  std::ifstream original(lab->hosts_file);
  std::string text((std::istreambuf_iterator<char>(original)), std::istreambuf_iterator<char>());
  // The extra host goes at the end of the hosts list, before any top-level key after it.
  size_t after_hosts = text.find("\ncluster:");
  if (after_hosts == std::string::npos) after_hosts = text.size() - 1;
  text.insert(after_hosts + 1, "  - name: lab9\n    address: ssh://root@127.0.0.1:1\n");
  std::ofstream(hosts) << text;
  std::vector<std::string> args = logs.Baton({"logs", "--no-color"});
  args[2] = hosts.string();
  ProgramRun run = RunProgram(args);
  CHECK(run.exit_code == 1);
  CHECK(run.out == "web-1@lab2 | here\n");
  CHECK(run.err.starts_with("baton: host lab9 unreachable: "));
}

TEST_CASE("logs: -f shows a replica that starts later and ends on Ctrl-C", "[lab][logs]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LogsLab logs(*lab);
  logs.StartReplica("lab2", 1, "echo first; sleep 300");
  logs.AwaitLog("lab2", 1, "first");
  // On a terminal, so that its output arrives line by line as a person sees it.
  PtyChild follow(logs.Baton({"logs", "-f", "--no-color"}), 24, 200);
  REQUIRE(follow.Await("web-1@lab2 | first"));
  logs.StartReplica("lab1", 2, "echo later; sleep 300");
  CHECK(follow.Await("web-2@lab1 | later"));
  ::kill(follow.pid, SIGINT);
  int code = follow.Wait();
  INFO(follow.seen);
  CHECK(code == 0);
}

TEST_CASE("exec: -T runs the command in the replica and exits with its code", "[lab][logs]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LogsLab logs(*lab);
  logs.StartReplica("lab2", 1, "sleep 300");
  logs.StartReplica("lab1", 2, "echo i am two > /tmp/who; sleep 300");
  logs.AwaitLog("lab2", 1, "");
  ProgramRun run = RunProgram(logs.Baton({"exec", "-T", "web", "sh", "-c", "echo hi; exit 3"}));
  CHECK(run.out == "hi\n");
  CHECK(run.exit_code == 3);
  ProgramRun second =
      RunProgram(logs.Baton({"exec", "-T", "--index", "2", "web", "cat", "/tmp/who"}));
  CHECK(second.out == "i am two\n");
  CHECK(second.exit_code == 0);
  ProgramRun third = RunProgram(logs.Baton({"exec", "-T", "--index", "3", "web", "true"}));
  CHECK(third.exit_code == 1);
  CHECK(third.err == "baton: service \"web\" has no replica 3\n");
}

TEST_CASE("exec: piped input comes back through cat, a megabyte of it", "[lab][logs]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LogsLab logs(*lab);
  logs.StartReplica("lab2", 1, "sleep 300");
  std::string input;
  for (int i = 0; input.size() < (1 << 20); ++i) input += "line " + std::to_string(i) + "\n";
  ProgramRun run = RunWithInput(logs.Baton({"exec", "-T", "web", "cat"}), input);
  CHECK(run.exit_code == 0);
  CHECK(run.out.size() == input.size());
  CHECK(run.out == input);
}

TEST_CASE("exec: a terminal session gets a tty of the terminal's size and its exit code",
          "[lab][logs]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  LogsLab logs(*lab);
  logs.StartReplica("lab2", 1, "sleep 300");
  PtyChild shell(logs.Baton({"exec", "web", "sh"}), 30, 100);
  REQUIRE(shell.Await("# "));
  shell.Send("echo $((6*7)); stty size\n");
  CHECK(shell.Await("42\r\n"));
  CHECK(shell.Await("30 100\r\n"));
  shell.Send("exit 5\n");
  CHECK(shell.Wait() == 5);
}

}  // namespace
}  // namespace baton::lab_test
