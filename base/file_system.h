#pragma once
// The narrow window through which pure code (compose/) sees files. Tests pass
// an in-memory fake; the CLI passes RealFileSystem.

#include <filesystem>
#include <string>

#include "base/result.h"

namespace baton {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // The whole content of a regular file. kNotFound when it does not exist,
  // kInvalid when it is not a regular file or cannot be read.
  virtual Result<std::string> Read(const std::filesystem::path& path) = 0;
  // True if a regular file exists at `path`.
  virtual bool IsFile(const std::filesystem::path& path) = 0;
  // True if a directory exists at `path`.
  virtual bool IsDirectory(const std::filesystem::path& path) = 0;
};

// Reads the machine's own files.
class RealFileSystem final : public FileSystem {
 public:
  Result<std::string> Read(const std::filesystem::path& path) override;
  bool IsFile(const std::filesystem::path& path) override;
  bool IsDirectory(const std::filesystem::path& path) override;
};

}  // namespace baton
