#pragma once
// Ctrl-C for long commands (`up`, `logs -f`): SIGINT and SIGTERM request one
// process-wide stop_source instead of killing baton, so a deploy finishes the
// actions it has started and the connections close cleanly. A second Ctrl-C
// while stopping kills the process the default way.

#include <stop_token>

namespace baton::cli {

// Installs the handlers. Call once, from main(), before any thread starts.
void InstallInterruptHandlers();

// fork() copies only the calling thread, so a daemon (cli/daemonize.h) has
// the handlers and the pipe but not the thread that turns a byte into the
// stop: it calls this once in the child.
void RestartInterruptReaderAfterFork();

// Requested when the user pressed Ctrl-C (or the process got SIGTERM).
// Without InstallInterruptHandlers() it is never requested.
std::stop_token InterruptToken();

}  // namespace baton::cli
