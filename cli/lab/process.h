#pragma once
// Starting programs for the lab: fork/exec with an argv vector, never a shell
// string. A child can join a network namespace and another process's mount and
// UTS namespaces before exec, which is how lab daemons end up "inside" a host.
//
// Call only from a single-threaded process: the child runs `in_child` between
// fork and exec.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"

namespace baton::cli::lab {

struct ProcessOptions {
  // A network namespace file (/run/netns/NAME) the child joins; empty: stay.
  std::string net_ns;
  // The child joins this process's mount and UTS namespaces; 0: stay.
  pid_t join_mount_uts_of = 0;
  // Runs in the child after joining namespaces, just before exec. Returns an
  // empty string on success, otherwise the reason, which the parent reports.
  std::function<std::string()> in_child;
  // Extra NAME=VALUE entries added to the inherited environment.
  std::vector<std::string> env;
  // StartDaemon only: stdout and stderr are appended here (default /dev/null).
  std::filesystem::path output;
};

struct CommandResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out;
  std::string err;
};

// Runs argv[0] (looked up in PATH) to completion and captures its output. A
// non-zero exit is not an error here; failing to start it, or exceeding
// `timeout` (the child is then killed), is.
Result<CommandResult> Run(const std::vector<std::string>& argv, const ProcessOptions& options = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Like Run, but a non-zero exit becomes an Error naming the command and
// carrying the first line of its stderr.
Result<CommandResult> RunChecked(const std::vector<std::string>& argv,
                                 const ProcessOptions& options = {},
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Starts a long-lived process detached from baton (own session, reparented to
// init) and returns its pid once it has exec'd. Errors when the child could
// not join its namespaces, `in_child` failed, or exec failed.
Result<pid_t> StartDaemon(const std::vector<std::string>& argv, const ProcessOptions& options);

// True if `pid` exists and is not a zombie.
bool IsRunning(pid_t pid);

// "ip link add x" for messages: argv joined by spaces.
std::string Describe(const std::vector<std::string>& argv);

}  // namespace baton::cli::lab
