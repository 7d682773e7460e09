#include "runtime/netd/dns_socket.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "runtime/netd/ipv4.h"

namespace baton::netd {
namespace {

Result<UniqueFd> Bound(int type, uint32_t address, uint16_t port) {
  UniqueFd fd(socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  std::string where = FormatIpv4(address) + ":" + std::to_string(port);
  if (!fd) return Error::Internal("", "socket: " + std::string(std::strerror(errno)));
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr = SocketAddress(address, port);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return Error::Unreachable("", "bind " + where + ": " + std::strerror(errno));
  }
  return fd;
}

}  // namespace

sockaddr_in SocketAddress(uint32_t address, uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(address);
  addr.sin_port = htons(port);
  return addr;
}

Result<UniqueFd> BindUdp(uint32_t address, uint16_t port) {
  return Bound(SOCK_DGRAM, address, port);
}

Result<UniqueFd> ListenTcp(uint32_t address, uint16_t port) {
  auto fd = Bound(SOCK_STREAM, address, port);
  if (!fd.ok()) return fd;
  if (listen(fd->get(), 16) != 0) {
    return Error::Unreachable("", "listen: " + std::string(std::strerror(errno)));
  }
  return fd;
}

Result<UniqueFd> OpenUdp() {
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return Error::Internal("", "socket: " + std::string(std::strerror(errno)));
  return fd;
}

void SendDatagram(int fd, const sockaddr_in& to, std::string_view bytes) {
  sendto(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&to),
         sizeof to);
}

}  // namespace baton::netd
