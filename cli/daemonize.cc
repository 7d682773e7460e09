#include "cli/daemonize.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "base/unique_fd.h"

namespace baton::cli {
namespace {

Error Failed(const std::string& what) {
  return Error::Internal("", what + ": " + std::strerror(errno));
}

// Writes "PID\n" through a temporary file and rename, so a reader never
// sees half a pid; false on failure.
bool WritePidFile(const std::string& path, pid_t pid) {
  if (path.empty()) return true;
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << pid << "\n";
    if (!out.flush()) return false;
  }
  return ::rename(temporary.c_str(), path.c_str()) == 0;
}

// In the daemon: stdin from /dev/null, stdout and stderr to the log.
void Redirect(int log) {
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, STDIN_FILENO);
    ::close(null);
  }
  ::dup2(log, STDOUT_FILENO);
  ::dup2(log, STDERR_FILENO);
}

// The middle child: a new session, then the daemon's fork. Never returns
// in the middle child itself.
void MiddleChild() {
  if (::setsid() < 0) ::_exit(1);
  pid_t daemon = ::fork();
  if (daemon < 0) ::_exit(1);
  if (daemon > 0) ::_exit(0);
}

// In the daemon: its own pid file first, then the word to the original
// process. A daemon that cannot write the pid file ends here, before it did
// anything, so a failed start never leaves a daemon running.
void ReportStarted(const std::string& pid_file, UniqueFd started) {
  if (!WritePidFile(pid_file, ::getpid())) ::_exit(2);
  char ok = 'k';
  if (::write(started.get(), &ok, 1) != 1) ::_exit(2);
}

// In the original process: whether the daemon said it started (a closed
// pipe means it ended first).
bool DaemonStarted(int started) {
  char byte = 0;
  ssize_t n = ::read(started, &byte, 1);
  while (n < 0 && errno == EINTR) n = ::read(started, &byte, 1);
  return n == 1 && byte == 'k';
}

}  // namespace

Result<DaemonSide> Daemonize(const std::string& log_file, const std::string& pid_file) {
  std::string log_path = log_file.empty() ? "/dev/null" : log_file;
  UniqueFd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  if (log.get() < 0)
    return Error::Invalid("--log-file " + log_path, std::strerror(errno));
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) < 0) return Failed("pipe");
  UniqueFd started_read(ends[0]), started_write(ends[1]);
  pid_t middle = ::fork();
  if (middle < 0) return Failed("fork");
  if (middle > 0) {
    started_write.Reset(-1);
    int status = 0;
    if (::waitpid(middle, &status, 0) < 0) return Failed("wait for the daemon's start");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !DaemonStarted(started_read.get()))
      return Error::Internal("", "daemon start failed (pid file " + pid_file + ")");
    return DaemonSide::kOriginal;
  }
  started_read.Reset(-1);
  MiddleChild();
  ReportStarted(pid_file, std::move(started_write));
  Redirect(log.get());
  ::umask(027);
  return DaemonSide::kDaemon;
}

}  // namespace baton::cli
