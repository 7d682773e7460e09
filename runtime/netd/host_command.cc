// Runs the host's own ip/bridge/iptables from inside netd's container: fork,
// chroot into the host's root, exec. Between fork and exec the child may only
// make async-signal-safe calls (netd has other threads, and one of them may
// hold the allocator's lock at fork time), so everything it needs is built
// before the fork.

#include "runtime/netd/host_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/unique_fd.h"

namespace baton::netd {
namespace {

constexpr const char* kSearchPath[] = {"/usr/sbin", "/usr/bin", "/sbin", "/bin"};
constexpr const char* kEnvironment[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", nullptr};

// What the child reports through its close-on-exec pipe when it cannot exec.
struct ChildFailure {
  int step = 0;  // kChrootStep or kExecStep
  int error = 0;
};
constexpr int kChrootStep = 1;
constexpr int kExecStep = 2;

// Everything the child touches, allocated before the fork.
struct ChildPlan {
  std::vector<std::string> candidates;  // argv[0] under each PATH directory
  std::vector<char*> argv;
  const char* root = nullptr;  // nullptr: stay in this root
  sigset_t no_signals;
};

ChildPlan PlanChild(const std::vector<std::string>& argv, const std::string& root) {
  ChildPlan plan;
  if (argv[0].find('/') != std::string::npos) {
    plan.candidates.push_back(argv[0]);
  } else {
    for (const char* dir : kSearchPath) plan.candidates.push_back(std::string(dir) + "/" + argv[0]);
  }
  for (const std::string& arg : argv) plan.argv.push_back(const_cast<char*>(arg.c_str()));
  plan.argv.push_back(nullptr);
  if (root != "/") plan.root = root.c_str();
  sigemptyset(&plan.no_signals);
  return plan;
}

void Report(int fd, int step, int error) {
  ChildFailure failure{step, error};
  ssize_t ignored = ::write(fd, &failure, sizeof failure);
  (void)ignored;
  ::_exit(127);
}

// Async-signal-safe only. The descriptors are all above 2 (see AboveStdio).
[[noreturn]] void RunChild(const ChildPlan& plan, int in, int out, int err, int report) {
  ::sigprocmask(SIG_SETMASK, &plan.no_signals, nullptr);
  ::signal(SIGPIPE, SIG_DFL);  // exec keeps an ignored signal ignored
  ::dup2(in, STDIN_FILENO);
  ::dup2(out, STDOUT_FILENO);
  ::dup2(err, STDERR_FILENO);
  if (plan.root != nullptr && (::chroot(plan.root) != 0 || ::chdir("/") != 0))
    Report(report, kChrootStep, errno);
  if (plan.root == nullptr && ::chdir("/") != 0) Report(report, kChrootStep, errno);
  int error = ENOENT;
  for (const std::string& path : plan.candidates) {
    ::execve(path.c_str(), plan.argv.data(), const_cast<char* const*>(kEnvironment));
    if (errno != ENOENT) error = errno;
  }
  Report(report, kExecStep, error);
  ::_exit(127);
}

// A descriptor above stdin/stdout/stderr, so the child's dup2 onto 0-2 never
// overwrites another of its pipes when this process runs with one closed.
UniqueFd AboveStdio(int fd) {
  if (fd > STDERR_FILENO) return UniqueFd(fd);
  UniqueFd moved(::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1));
  ::close(fd);
  return moved;
}

struct Channel {
  UniqueFd parent;
  UniqueFd child;
};

bool MakePipe(Channel& channel, bool child_reads) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  channel.parent = AboveStdio(child_reads ? fds[1] : fds[0]);
  channel.child = AboveStdio(child_reads ? fds[0] : fds[1]);
  return channel.parent && channel.child;
}

// The child's stdin is a socket so that writing to a child that exited sends
// no SIGPIPE to this process (MSG_NOSIGNAL), whatever its signal handling.
bool MakeInputSocket(Channel& channel) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return false;
  channel.parent = AboveStdio(fds[0]);
  channel.child = AboveStdio(fds[1]);
  return channel.parent && channel.child;
}

std::string CommandText(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& arg : argv) text += (text.empty() ? "" : " ") + arg;
  return text;
}

struct Outcome {
  std::string out;
  std::string err;
  bool timed_out = false;
};

// Feeds `input` and collects both outputs as they come, so neither side can
// block on a full pipe, until both outputs close or the deadline passes.
Outcome Exchange(Channel& in, Channel& out, Channel& err, std::string_view input,
                 std::chrono::steady_clock::time_point deadline) {
  Outcome outcome;
  if (input.empty()) in.parent.Reset();
  std::string* texts[] = {nullptr, &outcome.out, &outcome.err};
  pollfd fds[] = {
      {in.parent.get(), POLLOUT, 0}, {out.parent.get(), POLLIN, 0}, {err.parent.get(), POLLIN, 0}};
  while (fds[1].fd >= 0 || fds[2].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      outcome.timed_out = true;
      break;
    }
    if (::poll(fds, 3, static_cast<int>(left.count()) + 1) < 0 && errno != EINTR) break;
    if (fds[0].fd >= 0 && fds[0].revents != 0) {
      ssize_t n = ::send(fds[0].fd, input.data(), input.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) input.remove_prefix(static_cast<size_t>(n));
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || input.empty()) {
        in.parent.Reset();
        fds[0].fd = -1;
      }
    }
    for (int i = 1; i < 3; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) texts[i]->append(buffer, static_cast<size_t>(n));
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) fds[i].fd = -1;
    }
  }
  return outcome;
}

// The child's exit status; killed at the deadline (a command that closed its
// outputs may still run).
int WaitFor(pid_t pid, std::chrono::steady_clock::time_point deadline, bool& timed_out) {
  int status = 0;
  while (!timed_out) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) return status;
    if (std::chrono::steady_clock::now() >= deadline) timed_out = true;
    if (!timed_out) ::usleep(2000);
  }
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The reason a finished command failed; "" when it succeeded.
std::string FailureOf(int status, const Outcome& outcome, std::chrono::milliseconds timeout) {
  if (outcome.timed_out) return "timed out after " + std::to_string(timeout.count()) + " ms";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (!Trimmed(outcome.err).empty()) return Trimmed(outcome.err);
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "exit status " + std::to_string(WEXITSTATUS(status));
}

std::string ChildFailureText(const ChildFailure& failure, const std::string& root,
                             const std::string& program) {
  if (failure.step == kChrootStep) return "chroot " + root + ": " + std::strerror(failure.error);
  return program + ": " + std::strerror(failure.error);
}

class HostCommandRunner final : public CommandRunner {
 public:
  HostCommandRunner(std::string root, std::chrono::milliseconds timeout)
      : root_(std::move(root)), timeout_(timeout) {}

  Result<std::string> Run(const std::vector<std::string>& argv, std::string_view input) override {
    if (argv.empty() || argv[0].empty()) return Error::Invalid("", "empty host command");
    std::string command = CommandText(argv);
    Channel in, out, err, report;
    if (!MakeInputSocket(in) || !MakePipe(out, false) || !MakePipe(err, false) ||
        !MakePipe(report, false)) {
      return Error::Internal("", command + ": " + std::strerror(errno));
    }
    ChildPlan plan = PlanChild(argv, root_);
    auto deadline = std::chrono::steady_clock::now() + timeout_;
    pid_t pid = ::fork();
    if (pid < 0) return Error::Internal("", command + ": fork: " + std::strerror(errno));
    if (pid == 0)
      RunChild(plan, in.child.get(), out.child.get(), err.child.get(), report.child.get());
    in.child.Reset();
    out.child.Reset();
    err.child.Reset();
    report.child.Reset();
    return Finish(pid, command, argv[0], Exchange(in, out, err, input, deadline), deadline, report);
  }

 private:
  Result<std::string> Finish(pid_t pid, const std::string& command, const std::string& program,
                             Outcome outcome, std::chrono::steady_clock::time_point deadline,
                             Channel& report) {
    int status = WaitFor(pid, deadline, outcome.timed_out);
    ChildFailure failure;
    if (::read(report.parent.get(), &failure, sizeof failure) == sizeof failure)
      return Error::Internal("", command + ": " + ChildFailureText(failure, root_, program));
    std::string reason = FailureOf(status, outcome, timeout_);
    if (!reason.empty()) return Error::Internal("", command + ": " + reason);
    return std::move(outcome.out);
  }

  std::string root_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<CommandRunner> MakeHostCommandRunner(std::string root,
                                                     std::chrono::milliseconds timeout) {
  return std::make_unique<HostCommandRunner>(std::move(root), timeout);
}

std::unique_ptr<CommandRunner> MakeHostCommandRunner(std::string root) {
  return MakeHostCommandRunner(std::move(root), kHostCommandTimeout);
}

}  // namespace baton::netd
