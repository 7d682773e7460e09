#pragma once
// A listening unix socket that only this user can reach: a fresh directory
// with mode 0700 holding one socket. HostConnection serves a remote Docker
// socket through it; the directory's mode, not the socket's, is what keeps
// other local users out.

#include <filesystem>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace baton::transport {

class PrivateSocket {
 public:
  // Creates $TMPDIR/baton-XXXXXX/docker.sock (or under /tmp) and listens on
  // it, non-blocking. kInternal (at `where`) when that fails.
  static Result<PrivateSocket> Listen(const std::string& where);

  PrivateSocket(PrivateSocket&& other) noexcept;
  PrivateSocket& operator=(PrivateSocket&&) = delete;
  PrivateSocket(const PrivateSocket&) = delete;
  // Closes the socket and removes it and its directory.
  ~PrivateSocket();

  int fd() const { return fd_.get(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  PrivateSocket(UniqueFd fd, std::filesystem::path dir, std::filesystem::path path)
      : fd_(std::move(fd)), dir_(std::move(dir)), path_(std::move(path)) {}

  UniqueFd fd_;
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

}  // namespace baton::transport
