#include <catch2/catch.hpp>

#include "base/result.h"

namespace baton {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Error::Invalid("n", "odd number " + std::to_string(n));
  return n / 2;
}

TEST_CASE("result: holds a value or an error", "[base]") {
  auto good = Half(4);
  REQUIRE(good.ok());
  CHECK(*good == 2);
  auto bad = Half(3);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == Error::Kind::kInvalid);
  CHECK(bad.error().ToString() == "n: odd number 3");
}

TEST_CASE("result: Within prefixes the message once per layer", "[base]") {
  Error e = Error::Conflict("host h2", "409 Conflict").Within("create web-1");
  CHECK(e.ToString() == "host h2: create web-1: 409 Conflict");
}

TEST_CASE("result: status is ok by default", "[base]") {
  Status s;
  CHECK(s.ok());
  Status f = Error::NotFound("", "gone");
  CHECK_FALSE(f.ok());
  CHECK(f.error().ToString() == "gone");
}

}  // namespace
}  // namespace baton
