#include "cli/lab/lab_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>

#include "cli/lab/lab_fs.h"

namespace baton::cli::lab {

Result<UniqueFd> LockLabDir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    if (auto s = MakeDirectory(dir, 0700); !s.ok()) return s.error();
  std::string path = (dir / ".lock").string();
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) return Error::Internal("", "open " + path + ": " + std::strerror(errno));
  if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return Error::Conflict("", "another baton lab command is running (" + path + ")");
    return Error::Internal("", "lock " + path + ": " + std::strerror(errno));
  }
  return fd;
}

}  // namespace baton::cli::lab
