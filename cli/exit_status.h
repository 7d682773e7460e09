#pragma once
// How every command ends on an error: one line "baton: <error>" on stderr
// and an exit status a script can test.

#include "base/result.h"

namespace baton::cli {

constexpr int kExitFailed = 1;
constexpr int kExitInterrupted = 130;  // as a shell reports a SIGINT death

// Prints "baton: <error>" to stderr and returns kExitFailed; for
// ApplyPlan's "interrupted", prints "baton: interrupted; run the command
// again to finish" and returns kExitInterrupted.
int Fail(const Error& error);

}  // namespace baton::cli
