#include "cli/lab/lab_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>

#include "cli/lab/lab_host.h"
#include "cli/lab/process.h"
#include "base/unique_fd.h"
#include "base/unix_http.h"

namespace baton::cli::lab {
namespace {

void SetTimeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // also bounds connect()
}

}  // namespace

Status ProbeDockerd(const LabHost& host, pid_t pin, std::chrono::milliseconds timeout) {
  auto reply = UnixHttpRequest(DockerSocketPath(host, pin), "GET", "/_ping", "", "", timeout);
  if (!reply.ok()) return reply.error();
  if (reply->status != 200 || reply->body != "OK")
    return Error::Unreachable("", "dockerd answered /_ping with " +
                                      std::to_string(reply->status));
  return Status::Ok();
}

Status ProbeSshd(const LabHost& host, std::chrono::milliseconds timeout) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(22);
  if (inet_pton(AF_INET, host.address.c_str(), &addr.sin_addr) != 1)
    return Error::Invalid("", "bad address " + host.address);
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return Error::Internal("", std::string("socket: ") + std::strerror(errno));
  SetTimeouts(fd.get(), timeout);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return Error::Unreachable("", "connect " + host.address + ":22: " + std::strerror(errno));
  char banner[8] = {};
  ssize_t n = recv(fd.get(), banner, 4, MSG_WAITALL);
  if (n != 4 || std::memcmp(banner, "SSH-", 4) != 0)
    return Error::Unreachable("", "no ssh banner from " + host.address + ":22");
  return Status::Ok();
}

Status ProbeSshLogin(const LabLayout& layout, const LabHost& host) {
  auto r = Run({"ssh", "-F", "/dev/null", "-i", layout.identity_file().string(), "-o",
                "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + layout.known_hosts_file().string(), "-o",
                "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5", "-o",
                "LogLevel=ERROR", "root@" + host.address, "hostname"},
               {}, std::chrono::seconds(15));
  if (!r.ok()) return r.error();
  std::string name = r->out.substr(0, r->out.find('\n'));
  if (r->exit_code != 0) {
    std::string why = r->err.substr(0, r->err.find('\n'));
    return Error::Unreachable("", "ssh login failed: " + (why.empty() ? "exit status " +
                                                              std::to_string(r->exit_code) : why));
  }
  if (name != host.name) return Error::Internal("", "ssh login reached host named " + name);
  return Status::Ok();
}

}  // namespace baton::cli::lab
