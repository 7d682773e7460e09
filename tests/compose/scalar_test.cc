#include <catch2/catch.hpp>

#include <cmath>

#include "compose/scalar.h"

namespace baton::compose {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST_CASE("scalar: null spellings of YAML 1.1", "[compose][scalar]") {
  for (const char* text : {"", "~", "null", "Null", "NULL"}) CHECK(IsNullText(text));
  for (const char* text : {"nULL", "nil", "none", "0", " "}) CHECK_FALSE(IsNullText(text));
}

TEST_CASE("scalar: booleans in the three YAML 1.1 cases", "[compose][scalar]") {
  for (const char* text : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
    CHECK(ParseBool(text) == std::optional<bool>(true));
  for (const char* text : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})
    CHECK(ParseBool(text) == std::optional<bool>(false));
}

TEST_CASE("scalar: other text is not a boolean", "[compose][scalar]") {
  for (const char* text : {"tRue", "1", "0", "", "truee", "y", "n", "enabled"})
    CHECK_FALSE(ParseBool(text).has_value());
}

TEST_CASE("scalar: integers in decimal, hex, octal and binary", "[compose][scalar]") {
  CHECK(ParseInt("0") == std::optional<int64_t>(0));
  CHECK(ParseInt("42") == std::optional<int64_t>(42));
  CHECK(ParseInt("-17") == std::optional<int64_t>(-17));
  CHECK(ParseInt("+8") == std::optional<int64_t>(8));
  CHECK(ParseInt("0x1F") == std::optional<int64_t>(31));
  CHECK(ParseInt("0o17") == std::optional<int64_t>(15));
  CHECK(ParseInt("0440") == std::optional<int64_t>(288));
  CHECK(ParseInt("0b101") == std::optional<int64_t>(5));
  CHECK(ParseInt("1_000") == std::optional<int64_t>(1000));
  CHECK(ParseInt("9223372036854775807") == std::optional<int64_t>(INT64_MAX));
  CHECK(ParseInt("-9223372036854775808") == std::optional<int64_t>(INT64_MIN));
}

TEST_CASE("scalar: malformed or overflowing integers are refused", "[compose][scalar]") {
  for (const char* text : {"", "-", "08", "0x", "1.5", "12a", " 1", "9223372036854775808",
                           "_", "0b2", "1e3"})
    CHECK_FALSE(ParseInt(text).has_value());
}

TEST_CASE("scalar: doubles", "[compose][scalar]") {
  CHECK(ParseDouble("0.5") == std::optional<double>(0.5));
  CHECK(ParseDouble(".5") == std::optional<double>(0.5));
  CHECK(ParseDouble("-1.25") == std::optional<double>(-1.25));
  CHECK(ParseDouble("2") == std::optional<double>(2.0));
  CHECK(ParseDouble("1e3") == std::optional<double>(1000.0));
  CHECK(ParseDouble("0x10") == std::optional<double>(16.0));
  CHECK(ParseDouble(".inf") == std::optional<double>(INFINITY));
  CHECK(ParseDouble("-.Inf") == std::optional<double>(-INFINITY));
  REQUIRE(ParseDouble(".NaN").has_value());
  CHECK(std::isnan(*ParseDouble(".NaN")));
}

TEST_CASE("scalar: text that is not a double is refused", "[compose][scalar]") {
  for (const char* text : {"", ".", "1.2.3", "abc", "inf", "nan", "1e", "0.5cpu"})
    CHECK_FALSE(ParseDouble(text).has_value());
}

TEST_CASE("scalar: Go durations", "[compose][scalar]") {
  CHECK(ParseDuration("1m30s") == std::optional<Duration>(seconds(90)));
  CHECK(ParseDuration("1.5h") == std::optional<Duration>(minutes(90)));
  CHECK(ParseDuration("300ms") == std::optional<Duration>(milliseconds(300)));
  CHECK(ParseDuration("10us") == std::optional<Duration>(microseconds(10)));
  CHECK(ParseDuration("10\xC2\xB5s") == std::optional<Duration>(microseconds(10)));
  CHECK(ParseDuration("10\xCE\xBCs") == std::optional<Duration>(microseconds(10)));
  CHECK(ParseDuration("5ns") == std::optional<Duration>(nanoseconds(5)));
  CHECK(ParseDuration("1h2m3s4ms") ==
        std::optional<Duration>(hours(1) + minutes(2) + seconds(3) + milliseconds(4)));
  CHECK(ParseDuration(".5s") == std::optional<Duration>(milliseconds(500)));
  CHECK(ParseDuration("1.s") == std::optional<Duration>(seconds(1)));
  CHECK(ParseDuration("0") == std::optional<Duration>(nanoseconds(0)));
  CHECK(ParseDuration("+5s") == std::optional<Duration>(seconds(5)));
}

TEST_CASE("scalar: days and weeks as compose's duration reader has them", "[compose][scalar]") {
  CHECK(ParseDuration("1d") == std::optional<Duration>(hours(24)));
  CHECK(ParseDuration("1w") == std::optional<Duration>(hours(24 * 7)));
}

TEST_CASE("scalar: a bare number is seconds", "[compose][scalar]") {
  CHECK(ParseDuration("10") == std::optional<Duration>(seconds(10)));
  CHECK(ParseDuration("1.5") == std::optional<Duration>(milliseconds(1500)));
}

TEST_CASE("scalar: malformed, negative and overflowing durations are refused",
          "[compose][scalar]") {
  for (const char* text : {"", "s", ".s", "1x", "1.2.3s", "-5s", "-10", "1h-2m", " 1s", "1s ",
                           "9223372036854775808ns", "2562048h", "1..5s"})
    CHECK_FALSE(ParseDuration(text).has_value());
}

TEST_CASE("scalar: the largest duration Go can hold parses", "[compose][scalar]") {
  CHECK(ParseDuration("9223372036854775807ns") ==
        std::optional<Duration>(nanoseconds(INT64_MAX)));
}

TEST_CASE("scalar: durations format like Go's Duration.String", "[compose][scalar]") {
  CHECK(FormatDuration(nanoseconds(0)) == "0s");
  CHECK(FormatDuration(seconds(60)) == "1m0s");
  CHECK(FormatDuration(seconds(120)) == "2m0s");
  CHECK(FormatDuration(hours(1)) == "1h0m0s");
  CHECK(FormatDuration(milliseconds(1500)) == "1.5s");
  CHECK(FormatDuration(milliseconds(300)) == "300ms");
  CHECK(FormatDuration(seconds(90)) == "1m30s");
  CHECK(FormatDuration(nanoseconds(1500)) == "1.5\xC2\xB5s");
  CHECK(FormatDuration(nanoseconds(5)) == "5ns");
  CHECK(FormatDuration(nanoseconds(1200000)) == "1.2ms");
  CHECK(FormatDuration(hours(26) + nanoseconds(1)) == "26h0m0.000000001s");
  CHECK(FormatDuration(-seconds(5)) == "-5s");
  CHECK(FormatDuration(nanoseconds(INT64_MIN)) == "-2562047h47m16.854775808s");
}

TEST_CASE("scalar: a formatted duration parses back to itself", "[compose][scalar]") {
  for (Duration d : {Duration(seconds(20)), Duration(milliseconds(1)), Duration(hours(49)),
                     Duration(nanoseconds(123456789))})
    CHECK(ParseDuration(FormatDuration(d)) == std::optional<Duration>(d));
}

TEST_CASE("scalar: byte sizes in powers of 1024", "[compose][scalar]") {
  CHECK(ParseBytes("1024") == std::optional<int64_t>(1024));
  CHECK(ParseBytes("50M") == std::optional<int64_t>(52428800));
  CHECK(ParseBytes("20m") == std::optional<int64_t>(20971520));
  CHECK(ParseBytes("1.5g") == std::optional<int64_t>(1610612736));
  CHECK(ParseBytes("100kb") == std::optional<int64_t>(102400));
  CHECK(ParseBytes("2GiB") == std::optional<int64_t>(2147483648));
  CHECK(ParseBytes("1Ki") == std::optional<int64_t>(1024));
  CHECK(ParseBytes("1t") == std::optional<int64_t>(int64_t{1} << 40));
  CHECK(ParseBytes("1p") == std::optional<int64_t>(int64_t{1} << 50));
  CHECK(ParseBytes("512b") == std::optional<int64_t>(512));
  CHECK(ParseBytes("10 MB") == std::optional<int64_t>(10485760));
  CHECK(ParseBytes("0.5k") == std::optional<int64_t>(512));
}

TEST_CASE("scalar: plain negative byte counts are kept", "[compose][scalar]") {
  CHECK(ParseBytes("-1") == std::optional<int64_t>(-1));
}

TEST_CASE("scalar: malformed byte sizes are refused", "[compose][scalar]") {
  for (const char* text : {"", "M", "-1m", "10x", "10mbb", "10bi", "1.2.3m", "10  m", "10e",
                           "8192p", "one"})
    CHECK_FALSE(ParseBytes(text).has_value());
}

TEST_CASE("scalar: file modes are octal", "[compose][scalar]") {
  CHECK(ParseFileMode("0440") == std::optional<uint32_t>(0440));
  CHECK(ParseFileMode("440") == std::optional<uint32_t>(0440));
  CHECK(ParseFileMode("0o755") == std::optional<uint32_t>(0755));
  CHECK(ParseFileMode("0") == std::optional<uint32_t>(0));
}

TEST_CASE("scalar: non-octal file modes are refused", "[compose][scalar]") {
  for (const char* text : {"", "0o", "0888", "rw", "-1", "0x1f", "77777777777"})
    CHECK_FALSE(ParseFileMode(text).has_value());
}

}  // namespace
}  // namespace baton::compose
