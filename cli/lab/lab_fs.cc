#include "cli/lab/lab_fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/unique_fd.h"

namespace baton::cli::lab {
namespace {

namespace fs = std::filesystem;

Error FileError(const fs::path& path, const std::string& verb) {
  return Error::Internal("", verb + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Result<std::string> ReadWholeFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Error::NotFound("", "no file " + path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return FileError(path, "read");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Status WriteFileAtomically(const fs::path& path, const std::string& content, int mode) {
  fs::path temp = path.string() + ".tmp";
  UniqueFd fd(open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) return FileError(temp, "create");
  if (fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) return FileError(temp, "chmod");
  for (size_t at = 0; at < content.size();) {
    ssize_t n = write(fd.get(), content.data() + at, content.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return FileError(temp, "write");
    at += static_cast<size_t>(n);
  }
  fd.Reset();
  if (rename(temp.c_str(), path.c_str()) != 0) return FileError(path, "rename to");
  return Status::Ok();
}

Status MakeDirectory(const fs::path& dir, int mode) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::Internal("", "create " + dir.string() + ": " + ec.message());
  if (chmod(dir.c_str(), static_cast<mode_t>(mode)) != 0) return FileError(dir, "chmod");
  return Status::Ok();
}

}  // namespace baton::cli::lab
