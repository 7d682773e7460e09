#include "base/file_system.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

namespace baton {

Result<std::string> RealFileSystem::Read(const std::filesystem::path& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    return Error::NotFound(path.string(), "no such file");
  if (!std::filesystem::is_regular_file(status))
    return Error::Invalid(path.string(), "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::Invalid(path.string(), std::string("cannot read: ") + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return Error::Invalid(path.string(), "read failed");
  return content.str();
}

bool RealFileSystem::IsFile(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

bool RealFileSystem::IsDirectory(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

}  // namespace baton
