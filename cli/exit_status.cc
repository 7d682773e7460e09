#include "cli/exit_status.h"

#include <cstdio>

namespace baton::cli {

int Fail(const Error& error) {
  bool interrupted = error.kind == Error::Kind::kInternal && error.message == "interrupted";
  if (interrupted) {
    // What had started has finished; every action is idempotent, so the
    // same command again finishes the rest.
    std::fprintf(stderr, "baton: interrupted; run the command again to finish\n");
    return kExitInterrupted;
  }
  std::fprintf(stderr, "baton: %s\n", error.ToString().c_str());
  return kExitFailed;
}

}  // namespace baton::cli
