#include "base/rfc3339.h"

#include <catch2/catch.hpp>
#include <chrono>

namespace baton {
namespace {

using namespace std::chrono_literals;

TEST_CASE("rfc3339: nanoseconds and zones are read and the engine's zero time is none",
          "[base][rfc3339]") {
  auto nanos = ParseRfc3339("2026-11-29T05:07:13.123456789Z");
  auto zoned = ParseRfc3339("2026-11-29T06:07:13+01:00");
  auto behind = ParseRfc3339("2026-11-29T04:37:13-00:30");
  REQUIRE(nanos);
  REQUIRE(zoned);
  REQUIRE(behind);
  CHECK(*nanos - *zoned == 123456789ns);
  CHECK(*zoned == *behind);
  CHECK_FALSE(ParseRfc3339("0001-01-01T00:00:00Z"));
}

TEST_CASE("rfc3339: malformed times are none", "[base][rfc3339]") {
  CHECK_FALSE(ParseRfc3339("2026-11-29 05:07:13Z"));
  CHECK_FALSE(ParseRfc3339("2026-11-29T05:07:13"));
  CHECK_FALSE(ParseRfc3339("2026-11-29T05:07:13Zjunk"));
  CHECK_FALSE(ParseRfc3339("2026-11-29T05:07:13+0100"));
  CHECK_FALSE(ParseRfc3339("2026-1x-29T05:07:13Z"));
  CHECK_FALSE(ParseRfc3339(""));
}

TEST_CASE("rfc3339: the three precisions write UTC and read back", "[base][rfc3339]") {
  auto time = ParseRfc3339("2026-11-29T05:07:13.123456789Z");
  REQUIRE(time);
  CHECK(FormatRfc3339(*time) == "2026-11-29T05:07:13Z");
  CHECK(FormatRfc3339Millis(*time) == "2026-11-29T05:07:13.123Z");
  CHECK(FormatRfc3339Nanos(*time) == "2026-11-29T05:07:13.123456789Z");
  CHECK(ParseRfc3339(FormatRfc3339Nanos(*time)) == time);
  CHECK(ParseRfc3339(FormatRfc3339Millis(*time)) == *time - 456789ns);
}

TEST_CASE("rfc3339: now is this machine's clock to the second", "[base][rfc3339]") {
  auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto now = ParseRfc3339(NowRfc3339());
  REQUIRE(now);
  CHECK(*now >= before);
  CHECK(*now <= std::chrono::system_clock::now());
}

}  // namespace
}  // namespace baton
