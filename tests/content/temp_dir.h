#pragma once
// A scratch folder for content tests, removed with everything in it when the
// test ends. Symlinks, fifos and files with chosen modes are made here at run
// time rather than committed under testdata/.

#include <sys/stat.h>
#include <sys/time.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace baton::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "baton-content-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    // Give unreadable folders back their permission so they can be removed.
    for (auto it = std::filesystem::recursive_directory_iterator(
             path_, std::filesystem::directory_options::skip_permission_denied, ignored);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ignored))
      if (it->is_directory(ignored) && !it->is_symlink(ignored)) chmod(it->path().c_str(), 0755);
    chmod(path_.c_str(), 0755);
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }

  // Writes `content` to `relative` (making parent folders) with `mode`.
  std::filesystem::path Write(const std::string& relative, std::string_view content,
                              mode_t mode = 0644) const {
    std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
    chmod(file.c_str(), mode);
    return file;
  }

  std::filesystem::path Mkdir(const std::string& relative, mode_t mode = 0755) const {
    std::filesystem::path dir = path_ / relative;
    std::filesystem::create_directories(dir);
    chmod(dir.c_str(), mode);
    return dir;
  }

  // Sets the modification time of `relative` (not following a symlink).
  void SetMtime(const std::string& relative, time_t seconds) const {
    struct timeval times[2] = {{seconds, 0}, {seconds, 0}};
    lutimes((path_ / relative).c_str(), times);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace baton::testing
