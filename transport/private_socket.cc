#include "transport/private_socket.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace baton::transport {

Result<PrivateSocket> PrivateSocket::Listen(const std::string& where) {
  const char* tmp = std::getenv("TMPDIR");
  std::string base = tmp != nullptr && *tmp == '/' ? tmp : "/tmp";
  std::string pattern = base + "/baton-XXXXXX";
  sockaddr_un addr{};
  // The socket path must fit in sun_path; a long $TMPDIR falls back to /tmp.
  if (pattern.size() + sizeof("/docker.sock") > sizeof addr.sun_path) pattern = "/tmp/baton-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr)  // mkdtemp makes it 0700
    return Error::Internal(where, "create socket directory: " + std::string(std::strerror(errno)));
  std::filesystem::path dir = pattern;
  std::filesystem::path path = dir / "docker.sock";
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (!fd || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd.get(), SOMAXCONN) != 0) {
    std::string reason = std::strerror(errno);
    ::unlink(path.c_str());
    ::rmdir(dir.c_str());
    return Error::Internal(where, "listen on " + path.string() + ": " + reason);
  }
  return PrivateSocket(std::move(fd), std::move(dir), std::move(path));
}

PrivateSocket::PrivateSocket(PrivateSocket&& other) noexcept
    : fd_(std::move(other.fd_)), dir_(std::move(other.dir_)), path_(std::move(other.path_)) {
  other.dir_.clear();
  other.path_.clear();
}

PrivateSocket::~PrivateSocket() {
  fd_.Reset();
  if (!path_.empty()) ::unlink(path_.c_str());
  if (!dir_.empty()) ::rmdir(dir_.c_str());
}

}  // namespace baton::transport
