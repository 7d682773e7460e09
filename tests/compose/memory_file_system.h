#pragma once
// An in-memory FileSystem for compose tests: files are added by absolute
// path and every directory above a file exists. Reads of missing files fail
// with kNotFound "no such file", as RealFileSystem's do; each read path is
// recorded so a test can check what the loader looked at.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"

namespace baton::compose::testing {

class MemoryFileSystem final : public FileSystem {
 public:
  MemoryFileSystem& Add(const std::string& path, std::string content) {
    files_[Key(path)] = std::move(content);
    return *this;
  }

  Result<std::string> Read(const std::filesystem::path& path) override {
    reads_.push_back(path.string());
    auto it = files_.find(Key(path));
    if (it != files_.end()) return it->second;
    if (IsDirectory(path)) return Error::Invalid(path.string(), "not a regular file");
    return Error::NotFound(path.string(), "no such file");
  }

  bool IsFile(const std::filesystem::path& path) override { return files_.count(Key(path)) > 0; }

  bool IsDirectory(const std::filesystem::path& path) override {
    std::string dir = Key(path);
    if (dir.empty()) return false;
    if (dir.back() != '/') dir += '/';
    for (const auto& [file, content] : files_)
      if (file.compare(0, dir.size(), dir) == 0) return true;
    return false;
  }

  const std::vector<std::string>& reads() const { return reads_; }

 private:
  static std::string Key(const std::filesystem::path& path) {
    return path.lexically_normal().string();
  }

  std::map<std::string, std::string> files_;
  std::vector<std::string> reads_;
};

}  // namespace baton::compose::testing
