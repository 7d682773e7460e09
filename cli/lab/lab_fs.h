#pragma once
// Small file helpers for the lab's own files.

#include <filesystem>
#include <string>

#include "base/result.h"

namespace baton::cli::lab {

// The whole file; kNotFound if it does not exist.
Result<std::string> ReadWholeFile(const std::filesystem::path& path);

// Writes `content` to `path` with `mode` through a temporary file and rename,
// so readers never see half a file.
Status WriteFileAtomically(const std::filesystem::path& path, const std::string& content,
                           int mode);

// Creates `dir` (and parents) and sets its mode.
Status MakeDirectory(const std::filesystem::path& dir, int mode);

}  // namespace baton::cli::lab
