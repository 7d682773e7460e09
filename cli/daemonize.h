#pragma once
// `baton watch --detach`: the classic daemon start. The process forks, the
// child starts a new session (setsid) and forks again, so the daemon is no
// session leader and can never take a controlling terminal; the daemon
// writes its own pid to the pid file, then tells the original process over
// a pipe, which returns only then, so the pid file exists when `baton watch
// --detach` returns. A daemon that cannot write the pid file exits at once:
// a failed start leaves no daemon running. The daemon's stdin is /dev/null and its stdout and
// stderr are appended to the log file. It keeps the working directory, so
// relative paths in the hosts file still resolve.
//
// Call before any thread starts: fork copies only the calling thread.

#include <string>

#include "base/result.h"

namespace baton::cli {

enum class DaemonSide { kOriginal, kDaemon };

// kOriginal in the process that ran the command (it should exit 0), kDaemon
// in the daemon. Errors (in the original process, before any fork that
// matters): kInvalid "--log-file x: ..." when the log file cannot be opened,
// kInternal for a failed fork or pid file write.
Result<DaemonSide> Daemonize(const std::string& log_file, const std::string& pid_file);

}  // namespace baton::cli
