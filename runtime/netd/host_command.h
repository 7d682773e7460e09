#pragma once
// The host command runner behind MakeHostCommandRunner (dataplane.h), with
// its time limit as a parameter so tests need not wait for the real one.

#include <chrono>
#include <memory>
#include <string>

#include "runtime/netd/dataplane.h"

namespace baton::netd {

// How long a host command may run before it is killed (SIGKILL) and its Run
// returns kInternal "... timed out after N ms".
inline constexpr std::chrono::milliseconds kHostCommandTimeout{10000};

// As MakeHostCommandRunner(root), killing commands after `timeout`. The
// runner keeps no state: any thread may call Run, also concurrently.
std::unique_ptr<CommandRunner> MakeHostCommandRunner(std::string root,
                                                     std::chrono::milliseconds timeout);

}  // namespace baton::netd
