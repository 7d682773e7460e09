#include "base/go_duration.h"

#include <cstdint>
#include <limits>
#include <string>

namespace baton {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr uint64_t kMaxDurationMagnitude = uint64_t{1} << 63;

std::optional<uint64_t> DurationUnit(std::string_view unit) {
  constexpr uint64_t kSecond = 1000000000;
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1000;
  if (unit == "ms") return 1000000;
  if (unit == "s") return kSecond;
  if (unit == "m") return 60 * kSecond;
  if (unit == "h") return 3600 * kSecond;
  // compose reads durations with go-str2duration, which adds days and weeks.
  if (unit == "d") return 24 * 3600 * kSecond;
  if (unit == "w") return 7 * 24 * 3600 * kSecond;
  return std::nullopt;
}

// Consumes leading digits; nullopt on overflow past 1<<63.
std::optional<uint64_t> LeadingInt(std::string_view& s) {
  uint64_t x = 0;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (x > kMaxDurationMagnitude / 10) return std::nullopt;
    x = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (x > kMaxDurationMagnitude) return std::nullopt;
  }
  s.remove_prefix(i);
  return x;
}

// Consumes leading fraction digits; digits past what fits are dropped, as Go does.
void LeadingFraction(std::string_view& s, uint64_t& value, double& scale) {
  value = 0;
  scale = 1;
  bool overflow = false;
  size_t i = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (overflow) continue;
    if (value > (kMaxDurationMagnitude - 1) / 10) {
      overflow = true;
      continue;
    }
    uint64_t next = value * 10 + static_cast<uint64_t>(s[i] - '0');
    if (next > kMaxDurationMagnitude) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  s.remove_prefix(i);
}

// One "<number><unit>" term of a duration, in nanoseconds.
std::optional<uint64_t> DurationTerm(std::string_view& s) {
  if (s.empty() || !(s[0] == '.' || IsDigit(s[0]))) return std::nullopt;
  size_t before = s.size();
  std::optional<uint64_t> whole = LeadingInt(s);
  if (!whole) return std::nullopt;
  bool has_whole = before != s.size();
  uint64_t fraction = 0;
  double scale = 1;
  bool has_fraction = false;
  if (!s.empty() && s[0] == '.') {
    s.remove_prefix(1);
    size_t before_fraction = s.size();
    LeadingFraction(s, fraction, scale);
    has_fraction = before_fraction != s.size();
  }
  if (!has_whole && !has_fraction) return std::nullopt;
  size_t unit_len = 0;
  while (unit_len < s.size() && s[unit_len] != '.' && !IsDigit(s[unit_len])) ++unit_len;
  std::optional<uint64_t> unit = DurationUnit(s.substr(0, unit_len));
  if (!unit) return std::nullopt;
  s.remove_prefix(unit_len);
  if (*whole > kMaxDurationMagnitude / *unit) return std::nullopt;
  uint64_t value = *whole * *unit;
  if (fraction > 0) {
    value += static_cast<uint64_t>(static_cast<double>(fraction) *
                                   (static_cast<double>(*unit) / scale));
    if (value > kMaxDurationMagnitude) return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<Duration> ParseGoDuration(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration(0);
  if (s.empty()) return std::nullopt;
  uint64_t total = 0;
  while (!s.empty()) {
    std::optional<uint64_t> term = DurationTerm(s);
    if (!term) return std::nullopt;
    total += *term;
    if (total > kMaxDurationMagnitude) return std::nullopt;
  }
  if (negative) {
    if (total == kMaxDurationMagnitude) return Duration(std::numeric_limits<int64_t>::min());
    return Duration(-static_cast<int64_t>(total));
  }
  if (total > kMaxDurationMagnitude - 1) return std::nullopt;
  return Duration(static_cast<int64_t>(total));
}


namespace {

// Go's fmtFrac: the low `precision` digits of `value` as ".123" without
// trailing zeros (nothing when they are all zero); `value` keeps the rest.
std::string FractionDigits(uint64_t& value, int precision) {
  std::string digits;
  bool print = false;
  for (int i = 0; i < precision; ++i) {
    uint64_t digit = value % 10;
    print = print || digit != 0;
    if (print) digits.insert(digits.begin(), static_cast<char>('0' + digit));
    value /= 10;
  }
  return print ? "." + digits : "";
}

}  // namespace

std::string FormatGoDuration(Duration d) {
  int64_t count = d.count();
  bool negative = count < 0;
  uint64_t u = negative ? 0 - static_cast<uint64_t>(count) : static_cast<uint64_t>(count);
  std::string out;
  if (u == 0) return "0s";
  if (u < 1000000000) {
    // Below a second Go switches to the largest unit that keeps a whole part.
    int precision = 0;
    std::string unit = "ns";
    if (u >= 1000000) {
      precision = 6;
      unit = "ms";
    } else if (u >= 1000) {
      precision = 3;
      unit = "\xC2\xB5s";  // Go writes the micro sign
    }
    std::string fraction = FractionDigits(u, precision);
    out = std::to_string(u) + fraction + unit;
  } else {
    std::string fraction = FractionDigits(u, 9);
    out = std::to_string(u % 60) + fraction + "s";
    u /= 60;
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      if (u > 0) out = std::to_string(u) + "h" + out;
    }
  }
  return negative ? "-" + out : out;
}

}  // namespace baton
