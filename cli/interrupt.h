#pragma once
// Ctrl-C for long commands (`up`, `logs -f`): SIGINT and SIGTERM request one
// process-wide stop_source instead of killing baton, so a deploy finishes the
// actions it has started and the connections close cleanly. A second Ctrl-C
// while stopping kills the process the default way.

#include <stop_token>

namespace baton::cli {

// Installs the handlers. Call once, from main(), before any thread starts.
void InstallInterruptHandlers();

// Requested when the user pressed Ctrl-C (or the process got SIGTERM).
// Without InstallInterruptHandlers() it is never requested.
std::stop_token InterruptToken();

}  // namespace baton::cli
