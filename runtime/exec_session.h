#pragma once
// An interactive exec: one command run in a running container with local
// input and output relayed to it over a hijacked connection, as
// `docker exec -i [-t]` does. The session only moves bytes between file
// descriptors; the local terminal (raw mode, signals) is the caller's.

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "base/result.h"
#include "runtime/docker_exec.h"

namespace baton::runtime {

class DockerClient;

// What wakes a session besides its streams.
enum class ExecWake {
  kNothing,  // spurious; carry on
  kResized,  // the terminal changed size: send the new size
  kStop,     // end the session now (the user asked baton to quit)
};

struct ExecSessionIo {
  // Read until end of file and sent as the command's input when the spec
  // attaches stdin; then the connection's write side is closed so the
  // command sees end of file too.
  int in_fd = -1;
  int out_fd = 1;
  int err_fd = 2;  // the command's stderr; with a TTY it all arrives on out_fd
  // The terminal's size, sent once the exec runs and after each kResized;
  // nullopt (or no function) sends nothing.
  std::function<std::optional<TerminalSize>()> terminal_size;
  // When wake_fd (-1: none) becomes readable, on_wake is called; it must
  // read what made wake_fd readable and say why.
  int wake_fd = -1;
  std::function<ExecWake()> on_wake;
};

struct ExecOutcome {
  std::optional<std::int64_t> exit_code;  // unset when the session was stopped
};

// Creates the exec, starts it attached, relays until the engine closes the
// connection (the command ended) or on_wake says kStop, then reads the exit
// code. Errors from the engine come as DockerClient returns them, with the
// step added ("create exec: 409 Conflict: ..."); a broken local descriptor
// is kInternal "write output: ...". A failed resize is ignored: a wrong size
// is better than a lost session. Runs on the caller's thread.
Result<ExecOutcome> RunExecSession(DockerClient& docker, std::string_view container,
                                   const ExecCreateSpec& spec, const ExecSessionIo& io);

}  // namespace baton::runtime
