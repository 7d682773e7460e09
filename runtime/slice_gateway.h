#pragma once
// The gateway of a spanned network's slice of the cluster address space
// (see planner/plan.h, Plan::subnets): its first address, where the Docker
// bridge sits and netd answers DNS.

#include <string>
#include <string_view>

namespace baton::runtime {

// "10.210.3.0/24" -> "10.210.3.1". "" when `subnet` is not an IPv4 CIDR
// with a prefix of at most 30 (no room for a gateway and a container).
std::string SliceGateway(std::string_view subnet);

}  // namespace baton::runtime
