#include "runtime/slice_gateway.h"

#include "runtime/netd/ipv4.h"

namespace baton::runtime {

// The same address parsing netd uses for the slices it reads back, so baton
// and netd cannot disagree on a slice's gateway.
std::string SliceGateway(std::string_view subnet) {
  auto cidr = netd::ParseIpv4Cidr(subnet);
  if (!cidr || cidr->prefix > 30) return "";
  return netd::FormatIpv4(cidr->network + 1);
}

}  // namespace baton::runtime
