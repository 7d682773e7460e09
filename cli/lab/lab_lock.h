#pragma once
// One lab command at a time: up and down hold an exclusive flock on DIR/.lock,
// which the kernel releases when the holder dies, so a killed run never
// leaves a stale lock behind.

#include <filesystem>

#include "base/result.h"
#include "base/unique_fd.h"

namespace baton::cli::lab {

// Creates `dir` if needed and takes the lock; the lock lasts as long as the
// returned descriptor. kConflict if another baton holds it.
Result<UniqueFd> LockLabDir(const std::filesystem::path& dir);

}  // namespace baton::cli::lab
