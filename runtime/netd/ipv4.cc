#include "runtime/netd/ipv4.h"

#include <arpa/inet.h>

#include <charconv>

namespace baton::netd {

std::optional<uint32_t> ParseIpv4(std::string_view text) {
  // inet_pton, unlike inet_aton, takes only the four-part decimal form.
  if (text.size() > 15) return std::nullopt;
  std::string copy(text);
  in_addr addr{};
  if (inet_pton(AF_INET, copy.c_str(), &addr) != 1) return std::nullopt;
  return ntohl(addr.s_addr);
}

std::string FormatIpv4(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
         std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

std::optional<Ipv4Cidr> ParseIpv4Cidr(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto address = ParseIpv4(text.substr(0, slash));
  std::string_view digits = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
  if (!address || digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      prefix < 0 || prefix > 32) {
    return std::nullopt;
  }
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return Ipv4Cidr{*address & mask, prefix};
}

bool CidrContains(const Ipv4Cidr& cidr, uint32_t address) {
  uint32_t mask = cidr.prefix == 0 ? 0 : ~uint32_t{0} << (32 - cidr.prefix);
  return (address & mask) == cidr.network;
}

}  // namespace baton::netd
