#include "cli/exec_command.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "cli/deploy_context.h"
#include "cli/exit_status.h"
#include "cli/interrupt.h"
#include "planner/labels.h"
#include "runtime/docker_client.h"
#include "runtime/exec_session.h"

namespace baton::cli {
namespace {

struct ExecFlags {
  bool detach = false;
  bool no_tty = false;
  int index = 1;
  std::vector<std::string> env;
  std::string user;
  std::string working_dir;
  bool privileged = false;
  std::vector<std::string> words;  // SERVICE CMD [ARGS...]
};

// --- finding the replica

struct Replica {
  runtime::DockerClient* docker = nullptr;
  std::string host;
  std::string id;
};

// The replica's container on one host, if it is there.
Result<std::optional<runtime::ContainerSummary>> ReplicaOn(runtime::HostHandle& host,
                                                           const std::string& project,
                                                           const std::string& service, int index) {
  runtime::Filters filters{{"label",
                            {std::string(planner::labels::kProject) + "=" + project,
                             std::string(planner::labels::kService) + "=" + service}}};
  auto containers = host.docker->ListContainers(true, filters);
  if (!containers.ok()) return containers.error().Within("list containers");
  for (const runtime::ContainerSummary& c : *containers) {
    auto oneoff = c.labels.find(planner::labels::kOneoff);
    if (planner::labels::SlotFromLabels(c.labels) == index &&
        (oneoff == c.labels.end() || oneoff->second != "True"))
      return std::optional(c);
  }
  return std::optional<runtime::ContainerSummary>();
}

Result<Replica> FindReplica(runtime::HostPool& pool, const std::string& project,
                            const std::string& service, int index) {
  std::vector<std::string> unreachable;
  for (runtime::HostHandle& host : pool.hosts()) {
    if (!host.reachable()) {
      unreachable.push_back(host.config.name);
      continue;
    }
    auto found = ReplicaOn(host, project, service, index);
    if (!found.ok()) return found.error();
    if (!*found) continue;
    const runtime::ContainerSummary& c = **found;
    if (c.state != "running")
      return Error::Conflict(
          "", c.name + " on " + host.config.name + " is not running (" + c.state + ")");
    return Replica{host.docker.get(), host.config.name, c.id};
  }
  std::string what = "service \"" + service + "\" has no replica " + std::to_string(index);
  if (unreachable.empty()) return Error::NotFound("", what);
  std::string hosts;
  for (const std::string& name : unreachable) hosts += (hosts.empty() ? "" : ", ") + name;
  return Error::Unreachable("", what + " on the reachable hosts (unreachable: " + hosts + ")");
}

// --- the local terminal

// Raw mode on a terminal for as long as it lives: keys go to the command
// unprocessed (Ctrl-C included), as they would on the host.
class RawTerminal {
 public:
  explicit RawTerminal(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) != 0) return;
    termios raw = saved_;
    ::cfmakeraw(&raw);
    active_ = ::tcsetattr(fd_, TCSANOW, &raw) == 0;
  }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;
  ~RawTerminal() {
    if (active_) ::tcsetattr(fd_, TCSADRAIN, &saved_);
  }

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

// The write end of the wake pipe, for the signal handlers (a lock-free
// atomic is safe to read in one).
std::atomic<int> g_wake_write{-1};

extern "C" void OnSessionSignal(int signal) {
  char byte = signal == SIGWINCH ? 'W' : 'S';
  (void)!::write(g_wake_write.load(), &byte, 1);
}

// Turns a resized window (SIGWINCH), a hung-up terminal (SIGHUP) and Ctrl-C
// or SIGTERM (the process-wide InterruptToken) into bytes on a pipe that
// the session polls, and puts the old handlers back when it ends.
class SessionWakes {
 public:
  SessionWakes() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return;
    read_.Reset(fds[0]);
    write_.Reset(fds[1]);
    g_wake_write = write_.get();
    struct sigaction action {};
    action.sa_handler = OnSessionSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGWINCH, &action, &old_winch_);
    ::sigaction(SIGHUP, &action, &old_hup_);
    on_interrupt_.emplace(InterruptToken(), [fd = write_.get()] {
      char byte = 'S';
      (void)!::write(fd, &byte, 1);
    });
  }
  SessionWakes(const SessionWakes&) = delete;
  SessionWakes& operator=(const SessionWakes&) = delete;
  ~SessionWakes() {
    on_interrupt_.reset();
    if (!write_) return;
    ::sigaction(SIGWINCH, &old_winch_, nullptr);
    ::sigaction(SIGHUP, &old_hup_, nullptr);
    g_wake_write = -1;
  }

  int fd() const { return read_.get(); }
  bool stopped() const { return stopped_; }

  runtime::ExecWake Drain() {
    char bytes[64];
    runtime::ExecWake wake = runtime::ExecWake::kNothing;
    ssize_t n;
    while ((n = ::read(read_.get(), bytes, sizeof bytes)) > 0)
      for (ssize_t i = 0; i < n; ++i) {
        if (bytes[i] == 'S') stopped_ = true;
        if (bytes[i] == 'W') wake = runtime::ExecWake::kResized;
      }
    return stopped_ ? runtime::ExecWake::kStop : wake;
  }

 private:
  UniqueFd read_;
  UniqueFd write_;
  struct sigaction old_winch_ {};
  struct sigaction old_hup_ {};
  std::optional<std::stop_callback<std::function<void()>>> on_interrupt_;
  bool stopped_ = false;
};

// The size of the terminal on stdout, or on stdin when stdout is redirected.
std::optional<runtime::TerminalSize> LocalTerminalSize() {
  for (int fd : {STDOUT_FILENO, STDIN_FILENO}) {
    winsize size{};
    if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_row != 0)
      return runtime::TerminalSize{size.ws_row, size.ws_col};
  }
  return std::nullopt;
}

// --- running

runtime::ExecCreateSpec MakeSpec(const ExecFlags& flags, bool tty) {
  runtime::ExecCreateSpec spec;
  spec.cmd.assign(flags.words.begin() + 1, flags.words.end());
  spec.env = flags.env;
  spec.user = flags.user;
  spec.working_dir = flags.working_dir;
  spec.privileged = flags.privileged;
  spec.tty = tty;
  spec.attach_stdin = !flags.detach;
  spec.attach_output = !flags.detach;
  if (tty) spec.console_size = LocalTerminalSize();
  return spec;
}

int RunDetached(runtime::DockerClient& docker, const std::string& container,
                const runtime::ExecCreateSpec& spec) {
  auto exec_id = docker.CreateExec(container, spec);
  if (!exec_id.ok()) return Fail(exec_id.error().Within("create exec"));
  if (auto started = docker.StartExecDetached(*exec_id); !started.ok())
    return Fail(started.error().Within("start exec"));
  return 0;
}

int RunAttached(runtime::DockerClient& docker, const std::string& container,
                const runtime::ExecCreateSpec& spec) {
  SessionWakes wakes;
  std::optional<RawTerminal> raw;
  if (spec.tty) raw.emplace(STDIN_FILENO);
  runtime::ExecSessionIo io;
  io.in_fd = STDIN_FILENO;
  io.out_fd = STDOUT_FILENO;
  io.err_fd = STDERR_FILENO;
  io.terminal_size = LocalTerminalSize;
  io.wake_fd = wakes.fd();
  io.on_wake = [&wakes] { return wakes.Drain(); };
  auto outcome = runtime::RunExecSession(docker, container, spec, io);
  raw.reset();  // the terminal is itself again before any message
  if (!outcome.ok()) return Fail(outcome.error());
  if (!outcome->exit_code) return kExitInterrupted;
  return static_cast<int>(*outcome->exit_code & 0xff);
}

int RunExec(const ProjectOptions& project, const HostOptions& hosts, const ExecFlags& flags) {
  if (flags.words.size() < 2)
    return Fail(Error::Invalid("", "exec needs a service and a command: baton exec SERVICE CMD"));
  const std::string& service = flags.words[0];
  auto context = OpenDeployContextOrName(project, hosts);
  if (!context.ok()) return Fail(context.error());
  if (context->loaded && context->desired.FindService(service) == nullptr)
    return Fail(Error::NotFound("", "no such service \"" + service + "\""));
  auto replica = FindReplica(context->pool, context->desired.project, service, flags.index);
  if (!replica.ok()) return Fail(replica.error());
  bool tty = !flags.no_tty && !flags.detach && ::isatty(STDIN_FILENO) == 1;
  runtime::ExecCreateSpec spec = MakeSpec(flags, tty);
  if (flags.detach) return RunDetached(*replica->docker, replica->id, spec);
  return RunAttached(*replica->docker, replica->id, spec);
}

}  // namespace

void AddExecCommand(CLI::App& app, std::shared_ptr<ProjectOptions> project,
                    std::shared_ptr<HostOptions> hosts, Runner& run) {
  CLI::App* command =
      app.add_subcommand("exec", "Run a command in a running replica of a service, on its host");
  // Everything from SERVICE on is the service and the command, options of
  // the command included (`baton exec web sh -c 'echo hi'`). CLI11 would
  // hand those words to the top-level app if exec fell through to it, so
  // instead of fallthrough() exec accepts the project and host flags itself.
  command->prefix_command();
  AddProjectOptions(*command, *project);
  AddHostOptions(*command, *hosts);
  auto flags = std::make_shared<ExecFlags>();
  command->add_flag("-d,--detach", flags->detach, "Start the command and return at once");
  command->add_flag("-T,--no-TTY", flags->no_tty, "Do not allocate a TTY");
  command->add_option("--index", flags->index, "Which replica of the service (default 1)")
      ->check(CLI::PositiveNumber)
      ->type_name("N");
  command->add_option("-e,--env", flags->env, "Set an environment variable (KEY=VALUE)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  command->add_option("-u,--user", flags->user, "Run as this user")->type_name("USER");
  command->add_option("-w,--workdir", flags->working_dir, "Run in this directory")
      ->type_name("DIR");
  command->add_flag("--privileged", flags->privileged, "Give the command extended privileges");
  command->callback([command, project, hosts, flags, &run] {
    flags->words = command->remaining();
    run = [=] { return RunExec(*project, *hosts, *flags); };
  });
}

}  // namespace baton::cli
