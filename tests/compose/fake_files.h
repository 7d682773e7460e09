#pragma once
// An in-memory FileSystem for loader tests: files are added by absolute
// path; every directory above a file exists. Records each path read so tests
// can check what the loader looked at.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"

namespace baton::compose::testing {

class FakeFiles final : public FileSystem {
 public:
  FakeFiles& Add(const std::string& path, std::string content) {
    files_[std::filesystem::path(path).lexically_normal().string()] = std::move(content);
    return *this;
  }

  Result<std::string> Read(const std::filesystem::path& path) override {
    reads_.push_back(path.string());
    auto it = files_.find(path.lexically_normal().string());
    if (it != files_.end()) return it->second;
    if (IsDirectory(path)) return Error::Invalid(path.string(), "not a regular file");
    return Error::NotFound(path.string(), "no such file");
  }

  bool IsFile(const std::filesystem::path& path) override {
    return files_.count(path.lexically_normal().string()) > 0;
  }

  bool IsDirectory(const std::filesystem::path& path) override {
    std::string dir = path.lexically_normal().string();
    if (dir.empty()) return false;
    if (dir.back() != '/') dir += '/';
    for (const auto& [file, content] : files_)
      if (file.compare(0, dir.size(), dir) == 0) return true;
    return false;
  }

  const std::vector<std::string>& reads() const { return reads_; }

 private:
  std::map<std::string, std::string> files_;
  std::vector<std::string> reads_;
};

}  // namespace baton::compose::testing
