#include "cli/lab/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/unique_fd.h"

namespace baton::cli::lab {
namespace {

using Clock = std::chrono::steady_clock;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Result<Pipe> MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Error::Internal("", Errno("pipe"));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

std::vector<char*> CArgv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

std::string JoinNamespaces(const ProcessOptions& o) {
  if (!o.net_ns.empty()) {
    UniqueFd net(open(o.net_ns.c_str(), O_RDONLY | O_CLOEXEC));
    if (net.get() < 0 || setns(net.get(), CLONE_NEWNET) != 0)
      return Errno("join network namespace " + o.net_ns);
  }
  if (o.join_mount_uts_of > 0) {
    std::string base = "/proc/" + std::to_string(o.join_mount_uts_of) + "/ns/";
    UniqueFd uts(open((base + "uts").c_str(), O_RDONLY | O_CLOEXEC));
    UniqueFd mnt(open((base + "mnt").c_str(), O_RDONLY | O_CLOEXEC));
    if (uts.get() < 0 || mnt.get() < 0) return Errno("open namespaces of " + base);
    if (setns(uts.get(), CLONE_NEWUTS) != 0) return Errno("join uts namespace of " + base);
    if (setns(mnt.get(), CLONE_NEWNS) != 0) return Errno("join mount namespace of " + base);
    if (chdir("/") != 0) return Errno("chdir /");
  }
  return "";
}

// In the child: sets up namespaces and environment and execs. Returns only on
// failure, with the reason. The child is single-threaded, so allocating is safe.
std::string EnterAndExec(const std::vector<char*>& argv, const ProcessOptions& o) {
  if (std::string why = JoinNamespaces(o); !why.empty()) return why;
  for (const std::string& entry : o.env) {
    size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    setenv(entry.substr(0, eq).c_str(), entry.substr(eq + 1).c_str(), 1);
  }
  if (o.in_child) {
    if (std::string why = o.in_child(); !why.empty()) return why;
  }
  execvp(argv[0], argv.data());
  return Errno(argv[0]);
}

// In the child: stdin/stdout/stderr become the given fds, the error pipe moves
// to fd 3 (close-on-exec) and every other inherited fd is closed, so daemons
// never hold a pipe of whoever ran baton (ctest would wait on it forever).
int RewireFds(int in, int out, int err, int error_pipe) {
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) return -1;
  if (error_pipe != 3 && dup3(error_pipe, 3, O_CLOEXEC) < 0) return -1;
  if (error_pipe == 3 && fcntl(3, F_SETFD, FD_CLOEXEC) != 0) return -1;
  close_range(4, ~0U, 0);
  return 3;
}

[[noreturn]] void ChildFail(int error_pipe, const std::string& why) {
  ssize_t ignored = write(error_pipe, why.data(), why.size());
  (void)ignored;
  _exit(127);
}

std::string ReadAll(int fd) {
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return text;
    text.append(buf, static_cast<size_t>(n));
  }
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Reads stdout and stderr until both close or the deadline passes. Returns
// false on timeout.
bool Collect(int out_fd, int err_fd, Clock::time_point deadline, CommandResult& result) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    int n = poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        fds[i].fd = -1;
        --open_count;
      } else {
        sinks[i]->append(buf, static_cast<size_t>(got));
      }
    }
  }
  return true;
}

}  // namespace

std::string Describe(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& a : argv) text += (text.empty() ? "" : " ") + a;
  return text;
}

Result<CommandResult> Run(const std::vector<std::string>& argv, const ProcessOptions& options,
                          std::chrono::milliseconds timeout) {
  if (argv.empty()) return Error::Internal("", "run: empty command");
  auto out = MakePipe();
  auto err = MakePipe();
  auto status = MakePipe();
  if (!out.ok() || !err.ok() || !status.ok()) return Error::Internal("", Errno("pipe"));
  UniqueFd null_in(open("/dev/null", O_RDONLY | O_CLOEXEC));
  std::vector<char*> cargv = CArgv(argv);

  pid_t pid = fork();
  if (pid < 0) return Error::Internal("", Errno("fork"));
  if (pid == 0) {
    int fd = RewireFds(null_in.get(), out->write.get(), err->write.get(), status->write.get());
    ChildFail(fd < 0 ? status->write.get() : fd, EnterAndExec(cargv, options));
  }
  out->write.Reset();
  err->write.Reset();
  status->write.Reset();

  CommandResult result;
  bool finished = Collect(out->read.get(), err->read.get(), Clock::now() + timeout, result);
  if (!finished) kill(pid, SIGKILL);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  std::string failure = ReadAll(status->read.get());
  if (!failure.empty()) return Error::Internal("", failure);
  if (!finished) {
    std::string limit = timeout.count() % 1000 == 0 ? std::to_string(timeout.count() / 1000) + " s"
                                                    : std::to_string(timeout.count()) + " ms";
    return Error::Unreachable("", Describe(argv) + ": timed out after " + limit);
  }
  result.exit_code = ExitCode(wait_status);
  return result;
}

Result<CommandResult> RunChecked(const std::vector<std::string>& argv,
                                 const ProcessOptions& options,
                                 std::chrono::milliseconds timeout) {
  auto result = Run(argv, options, timeout);
  if (!result.ok()) return result;
  if (result->exit_code == 0) return result;
  std::string first_line = result->err.substr(0, result->err.find('\n'));
  if (first_line.empty()) first_line = "exit status " + std::to_string(result->exit_code);
  return Error::Internal("", Describe(argv) + ": " + first_line);
}

Result<pid_t> StartDaemon(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) return Error::Internal("", "start: empty command");
  std::string out_path = options.output.empty() ? "/dev/null" : options.output.string();
  UniqueFd out(open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (out.get() < 0) return Error::Internal("", Errno("open " + out_path));
  UniqueFd null_in(open("/dev/null", O_RDONLY | O_CLOEXEC));
  auto status = MakePipe();
  auto pid_pipe = MakePipe();
  if (!status.ok() || !pid_pipe.ok()) return Error::Internal("", Errno("pipe"));
  std::vector<char*> cargv = CArgv(argv);

  pid_t middle = fork();
  if (middle < 0) return Error::Internal("", Errno("fork"));
  if (middle == 0) {
    // The middle child exits at once, so the daemon is reparented to init and
    // never becomes a zombie of baton.
    setsid();
    pid_t daemon = fork();
    if (daemon == 0) {
      int fd = RewireFds(null_in.get(), out.get(), out.get(), status->write.get());
      ChildFail(fd < 0 ? status->write.get() : fd, EnterAndExec(cargv, options));
    }
    ssize_t ignored = write(pid_pipe->write.get(), &daemon, sizeof daemon);
    (void)ignored;
    _exit(daemon < 0 ? 1 : 0);
  }
  status->write.Reset();
  pid_pipe->write.Reset();
  int wait_status = 0;
  while (waitpid(middle, &wait_status, 0) < 0 && errno == EINTR) {
  }
  pid_t daemon = -1;
  if (read(pid_pipe->read.get(), &daemon, sizeof daemon) != sizeof daemon || daemon <= 0)
    return Error::Internal("", "start " + Describe(argv) + ": fork failed");
  std::string failure = ReadAll(status->read.get());
  if (!failure.empty()) return Error::Internal("", failure);
  return daemon;
}

bool IsRunning(pid_t pid) {
  if (pid <= 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  size_t paren = line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= line.size()) return false;
  char state = line[paren + 2];
  return state != 'Z' && state != 'X';
}

}  // namespace baton::cli::lab
