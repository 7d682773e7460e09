#include <catch2/catch.hpp>

#include "runtime/netd/ipv4.h"

namespace baton::netd {
namespace {

TEST_CASE("ipv4: dotted quads parse to host order", "[netd][ipv4]") {
  CHECK(ParseIpv4("10.210.3.1") == 0x0ad20301u);
  CHECK(FormatIpv4(0x0ad20301u) == "10.210.3.1");
}

TEST_CASE("ipv4: anything but a dotted quad is refused", "[netd][ipv4]") {
  CHECK_FALSE(ParseIpv4("10.210.3"));
  CHECK_FALSE(ParseIpv4("10.210.3.256"));
  CHECK_FALSE(ParseIpv4("localhost"));
  CHECK_FALSE(ParseIpv4(""));
  CHECK_FALSE(ParseIpv4("10.210.3.1 "));
}

TEST_CASE("ipv4: cidrs clear host bits and check the prefix", "[netd][ipv4]") {
  auto cidr = ParseIpv4Cidr("10.210.3.7/24");
  REQUIRE(cidr);
  CHECK(cidr->network == 0x0ad20300u);
  CHECK(cidr->prefix == 24);
  CHECK(CidrContains(*cidr, 0x0ad203feu));
  CHECK_FALSE(CidrContains(*cidr, 0x0ad20401u));
  CHECK_FALSE(ParseIpv4Cidr("10.210.3.0/33"));
  CHECK_FALSE(ParseIpv4Cidr("10.210.3.0/"));
  CHECK_FALSE(ParseIpv4Cidr("10.210.3.0/2x"));
  CHECK_FALSE(ParseIpv4Cidr("10.210.3.0"));
  CHECK(ParseIpv4Cidr("0.0.0.0/0")->prefix == 0);
}

}  // namespace
}  // namespace baton::netd
