#include "base/go_duration.h"

#include <catch2/catch.hpp>

namespace baton {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST_CASE("go duration: compounds, fractions and units are read as Go does", "[base][duration]") {
  CHECK(*ParseGoDuration("1m30s") == seconds(90));
  CHECK(*ParseGoDuration("1.5h") == std::chrono::minutes(90));
  CHECK(*ParseGoDuration("300ms") == milliseconds(300));
  CHECK(*ParseGoDuration("10us") == nanoseconds(10'000));
  CHECK(*ParseGoDuration("2d") == std::chrono::hours(48));
  CHECK(*ParseGoDuration("0") == nanoseconds(0));
}

TEST_CASE("go duration: a sign is kept", "[base][duration]") {
  CHECK(*ParseGoDuration("-1.5s") == milliseconds(-1500));
  CHECK(*ParseGoDuration("+2s") == seconds(2));
}

TEST_CASE("go duration: text without a unit or with junk is refused", "[base][duration]") {
  CHECK_FALSE(ParseGoDuration("5").has_value());
  CHECK_FALSE(ParseGoDuration("").has_value());
  CHECK_FALSE(ParseGoDuration("5 s").has_value());
  CHECK_FALSE(ParseGoDuration("s").has_value());
  CHECK_FALSE(ParseGoDuration("1.s.").has_value());
}

TEST_CASE("go duration: overflow past 2^63 ns is refused", "[base][duration]") {
  CHECK_FALSE(ParseGoDuration("9223372036854775808ns").has_value());
  CHECK(*ParseGoDuration("-9223372036854775808ns") == nanoseconds(INT64_MIN));
}

TEST_CASE("go duration: printed as Go's Duration.String", "[base][duration]") {
  CHECK(FormatGoDuration(seconds(90)) == "1m30s");
  CHECK(FormatGoDuration(std::chrono::hours(1)) == "1h0m0s");
  CHECK(FormatGoDuration(milliseconds(1500)) == "1.5s");
  CHECK(FormatGoDuration(milliseconds(300)) == "300ms");
  CHECK(FormatGoDuration(nanoseconds(0)) == "0s");
  CHECK(FormatGoDuration(milliseconds(-1500)) == "-1.5s");
}

}  // namespace
}  // namespace baton
