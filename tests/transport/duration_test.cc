#include "transport/duration.h"

#include <catch2/catch.hpp>

namespace baton::transport {
namespace {

using std::chrono::milliseconds;

TEST_CASE("duration: units and compounds are read", "[transport][duration]") {
  CHECK(*ParseDuration("5s") == milliseconds(5000));
  CHECK(*ParseDuration("250ms") == milliseconds(250));
  CHECK(*ParseDuration("1.5s") == milliseconds(1500));
  CHECK(*ParseDuration("1m30s") == milliseconds(90'000));
  CHECK(*ParseDuration("1h") == milliseconds(3'600'000));
}

TEST_CASE("duration: a bare number is refused", "[transport][duration]") {
  auto parsed = ParseDuration("5");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().ToString() ==
        "invalid duration \"5\" (expected a number and a unit: 500ms, 5s, 1m30s)");
}

TEST_CASE("duration: an unknown unit is refused", "[transport][duration]") {
  auto parsed = ParseDuration("5 seconds");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().ToString() ==
        "invalid duration \"5 seconds\" (expected a number and a unit: 500ms, 5s, 1m30s)");
}

TEST_CASE("duration: zero is out of range", "[transport][duration]") {
  auto parsed = ParseDuration("0s");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().ToString() == "duration \"0s\" out of range (1ms to 24h)");
}

TEST_CASE("duration: formatting picks the shortest exact form", "[transport][duration]") {
  CHECK(FormatDuration(milliseconds(5000)) == "5s");
  CHECK(FormatDuration(milliseconds(1500)) == "1.5s");
  CHECK(FormatDuration(milliseconds(120'000)) == "2m");
  CHECK(FormatDuration(milliseconds(250)) == "250ms");
}

}  // namespace
}  // namespace baton::transport
