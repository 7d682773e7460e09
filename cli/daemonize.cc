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
void MiddleChild(const std::string& pid_file) {
  if (::setsid() < 0) ::_exit(1);
  pid_t daemon = ::fork();
  if (daemon < 0) ::_exit(1);
  if (daemon > 0) ::_exit(WritePidFile(pid_file, daemon) ? 0 : 2);
}

}  // namespace

Result<DaemonSide> Daemonize(const std::string& log_file, const std::string& pid_file) {
  std::string log_path = log_file.empty() ? "/dev/null" : log_file;
  UniqueFd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  if (log.get() < 0)
    return Error::Invalid("--log-file " + log_path, std::strerror(errno));
  pid_t middle = ::fork();
  if (middle < 0) return Failed("fork");
  if (middle > 0) {
    int status = 0;
    if (::waitpid(middle, &status, 0) < 0) return Failed("wait for the daemon's start");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return Error::Internal("", "daemon start failed (pid file " + pid_file + ")");
    return DaemonSide::kOriginal;
  }
  MiddleChild(pid_file);
  Redirect(log.get());
  ::umask(027);
  return DaemonSide::kDaemon;
}

}  // namespace baton::cli
