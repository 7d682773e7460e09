#pragma once
// IPv4 addresses and CIDRs as netd reads them from its config, its engine and
// its peers: numeric only (the static netd has no name service).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace baton::netd {

struct Ipv4Cidr {
  uint32_t network = 0;  // host byte order, host bits cleared
  int prefix = 0;        // 0-32
};

// Dotted quad ("10.210.3.1") to host byte order; nullopt on anything else.
std::optional<uint32_t> ParseIpv4(std::string_view text);
std::string FormatIpv4(uint32_t address);
// "10.210.3.0/24"; nullopt unless the address is a dotted quad and the prefix
// 0-32. Host bits set ("10.210.3.7/24") are cleared rather than refused.
std::optional<Ipv4Cidr> ParseIpv4Cidr(std::string_view text);
bool CidrContains(const Ipv4Cidr& cidr, uint32_t address);

}  // namespace baton::netd
