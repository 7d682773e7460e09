#include "runtime/slice_gateway.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstdint>

namespace baton::runtime {

std::string SliceGateway(std::string_view subnet) {
  size_t slash = subnet.find('/');
  if (slash == std::string_view::npos) return "";
  std::string_view prefix_text = subnet.substr(slash + 1);
  int prefix = -1;
  auto [end, error] =
      std::from_chars(prefix_text.data(), prefix_text.data() + prefix_text.size(), prefix);
  if (error != std::errc() || end != prefix_text.data() + prefix_text.size() || prefix < 0 ||
      prefix > 30)
    return "";
  in_addr address{};
  if (::inet_pton(AF_INET, std::string(subnet.substr(0, slash)).c_str(), &address) != 1) return "";
  uint32_t host_order = ntohl(address.s_addr);
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  address.s_addr = htonl((host_order & mask) + 1);
  char text[INET_ADDRSTRLEN];
  if (::inet_ntop(AF_INET, &address, text, sizeof text) == nullptr) return "";
  return text;
}

}  // namespace baton::runtime
