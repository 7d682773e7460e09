#pragma once
// The steps of an exec that a person drives (`baton exec`): create it, start
// it attached over a hijacked connection or detached, size its TTY, and read
// its exit code. DockerClient::Exec (docker_containers.h) is the one-call
// form for commands whose output is only captured.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace baton::runtime {

struct TerminalSize {
  int rows = 0;
  int columns = 0;
  bool operator==(const TerminalSize&) const = default;
};

// POST /containers/{id}/exec.
struct ExecCreateSpec {
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // "KEY=value", added to the container's
  std::string user;              // "" for the container's
  std::string working_dir;       // "" for the container's
  bool privileged = false;
  bool tty = false;
  bool attach_stdin = false;
  bool attach_output = true;  // stdout and stderr
  // The TTY's size from the start (API 1.42 and later; older engines get a
  // resize once the exec runs).
  std::optional<TerminalSize> console_size;
};

// GET /exec/{id}/json.
struct ExecStatus {
  bool running = false;
  std::optional<std::int64_t> exit_code;  // set once it has ended
  std::string container_id;
};

}  // namespace baton::runtime
