#include "runtime/slice_gateway.h"

#include <catch2/catch.hpp>

namespace baton::runtime {
namespace {

TEST_CASE("slice gateway: the first address of the slice", "[runtime][cluster]") {
  CHECK(SliceGateway("10.210.3.0/24") == "10.210.3.1");
  CHECK(SliceGateway("10.210.3.128/25") == "10.210.3.129");
  // Host bits set are ignored: the gateway is the network's first address.
  CHECK(SliceGateway("10.210.3.7/24") == "10.210.3.1");
}

TEST_CASE("slice gateway: not an IPv4 slice gives none", "[runtime][cluster]") {
  CHECK(SliceGateway("10.210.3.0") == "");
  CHECK(SliceGateway("10.210.3.0/31") == "");
  CHECK(SliceGateway("10.210.3.0/x") == "");
  CHECK(SliceGateway("fd00::/64") == "");
  CHECK(SliceGateway("") == "");
}

}  // namespace
}  // namespace baton::runtime
