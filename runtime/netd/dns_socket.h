#pragma once
// The sockets of netd's DNS service, opened non-blocking and close-on-exec.

#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"

namespace baton::netd {

// A UDP socket bound to address:port; kUnreachable naming the failure
// (typically "cannot assign requested address" before the bridge has it).
Result<UniqueFd> BindUdp(uint32_t address, uint16_t port);
// A TCP listener on address:port.
Result<UniqueFd> ListenTcp(uint32_t address, uint16_t port);
// An unbound UDP socket for talking to upstream resolvers.
Result<UniqueFd> OpenUdp();

sockaddr_in SocketAddress(uint32_t address, uint16_t port);

// Sends one datagram; failures are dropped (DNS clients retry).
void SendDatagram(int fd, const sockaddr_in& to, std::string_view bytes);

}  // namespace baton::netd
