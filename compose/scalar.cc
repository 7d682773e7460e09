#include "compose/scalar.h"

#include <charconv>
#include <limits>
#include <utility>

#include "base/go_duration.h"

namespace baton::compose {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = Lower(c);
  return out;
}

// YAML 1.1 spells each keyword in lower case, Title case or UPPER case only.
bool IsYamlWord(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size() || text.empty()) return false;
  std::string lower = LowerCopy(text);
  if (lower != lower_word) return false;
  std::string upper = lower;
  for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
  std::string title = lower;
  title[0] = upper[0];
  return text == lower || text == upper || text == title;
}

int DigitValue(char c) {
  if (IsDigit(c)) return c - '0';
  char l = Lower(c);
  if (l >= 'a' && l <= 'f') return l - 'a' + 10;
  return 99;
}

// Digits in `base`, with YAML 1.1's `_` separators, as a magnitude that must
// fit `limit`. At least one digit is required.
std::optional<uint64_t> ParseMagnitude(std::string_view digits, int base, uint64_t limit) {
  uint64_t value = 0;
  bool any = false;
  for (char c : digits) {
    if (c == '_') continue;
    int d = DigitValue(c);
    if (d >= base) return std::nullopt;
    if (value > (limit - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base))
      return std::nullopt;
    value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    any = true;
  }
  if (!any) return std::nullopt;
  return value;
}

// Splits "0x1F" into base 16 and "1F"; decimal has no prefix; a leading 0
// means octal as in YAML 1.1.
std::pair<int, std::string_view> IntegerBase(std::string_view body) {
  if (body.size() > 2 && body[0] == '0') {
    char p = Lower(body[1]);
    if (p == 'x') return {16, body.substr(2)};
    if (p == 'o') return {8, body.substr(2)};
    if (p == 'b') return {2, body.substr(2)};
  }
  if (body.size() > 1 && body[0] == '0') return {8, body.substr(1)};
  return {10, body};
}

// Plain decimal floating point text as Go's strconv.ParseFloat reads it in
// base 10: digits, an optional fraction, an optional exponent.
bool IsDecimalFloatText(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && Lower(text[i]) == 'e') {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < text.size() && IsDigit(text[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == text.size();
}

std::optional<double> ParseDecimalFloat(std::string_view text) {
  if (!IsDecimalFloatText(text)) return std::nullopt;
  if (text[0] == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool IsBareSeconds(std::string_view text) {
  size_t digits = 0, dots = 0;
  for (char c : text) {
    if (IsDigit(c)) ++digits;
    else if (c == '.') ++dots;
    else return false;
  }
  return digits > 0 && dots <= 1;
}

// --- byte sizes: docker/go-units RAMInBytes ---------------------------------

std::optional<int64_t> UnitMultiplier(std::string_view suffix) {
  if (suffix.empty() || suffix.size() > 3) return std::nullopt;
  std::string s = LowerCopy(suffix);
  if (s[0] == 'b') return s.size() == 1 ? std::optional<int64_t>(1) : std::nullopt;
  static constexpr std::string_view kUnits = "kmgtp";
  size_t power = kUnits.find(s[0]);
  if (power == std::string_view::npos) return std::nullopt;
  std::string_view rest = std::string_view(s).substr(1);
  if (!(rest.empty() || rest == "i" || rest == "b" || rest == "ib")) return std::nullopt;
  return int64_t{1} << (10 * (power + 1));
}

std::optional<int64_t> ParseUnitBytes(std::string_view text) {
  size_t split = text.find_last_of("0123456789. ");
  if (split == std::string_view::npos) return std::nullopt;
  std::string_view number = text.substr(0, split + 1);
  std::string_view suffix = text.substr(split + 1);
  if (text[split] == ' ') number = text.substr(0, split);
  if (!number.empty() && (number[0] == '+' || number[0] == '-')) return std::nullopt;
  std::optional<double> size = ParseDecimalFloat(number);
  if (!size) return std::nullopt;
  double multiplier = 1;
  if (!suffix.empty()) {
    std::optional<int64_t> unit = UnitMultiplier(suffix);
    if (!unit) return std::nullopt;
    multiplier = static_cast<double>(*unit);
  }
  double bytes = *size * multiplier;
  if (!(bytes < 9223372036854775808.0)) return std::nullopt;
  return static_cast<int64_t>(bytes);
}

}  // namespace

bool IsNullText(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::optional<bool> ParseBool(std::string_view text) {
  for (std::string_view word : {"true", "yes", "on"})
    if (IsYamlWord(text, word)) return true;
  for (std::string_view word : {"false", "no", "off"})
    if (IsYamlWord(text, word)) return false;
  return std::nullopt;
}

std::optional<int64_t> ParseInt(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || !IsDigit(text[0])) return std::nullopt;
  auto [base, digits] = IntegerBase(text);
  uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  std::optional<uint64_t> magnitude = ParseMagnitude(digits, base, limit);
  if (!magnitude) return std::nullopt;
  if (negative) return static_cast<int64_t>(0 - *magnitude);
  return static_cast<int64_t>(*magnitude);
}

std::optional<double> ParseDouble(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    double inf = std::numeric_limits<double>::infinity();
    return negative ? -inf : inf;
  }
  if (body == ".nan" || body == ".NaN" || body == ".NAN") {
    if (body.size() != text.size()) return std::nullopt;
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (std::optional<double> value = ParseDecimalFloat(text)) return value;
  if (std::optional<int64_t> value = ParseInt(text)) return static_cast<double>(*value);
  return std::nullopt;
}

std::optional<Duration> ParseDuration(std::string_view text) {
  if (std::optional<Duration> d = ParseGoDuration(text); d && d->count() >= 0) return d;
  if (IsBareSeconds(text)) return ParseGoDuration(std::string(text) + "s");
  return std::nullopt;
}

std::string FormatDuration(Duration d) { return FormatGoDuration(d); }

std::optional<int64_t> ParseBytes(std::string_view text) {
  // A plain integer (also negative, for `memswap_limit: -1`) is a byte count.
  if (!text.empty()) {
    std::string_view digits = text;
    if (digits[0] == '+' || digits[0] == '-') digits.remove_prefix(1);
    bool all_digits = !digits.empty();
    for (char c : digits) all_digits = all_digits && IsDigit(c);
    if (all_digits) {
      int64_t value = 0;
      std::string_view parse = text[0] == '+' ? text.substr(1) : text;
      auto [end, ec] = std::from_chars(parse.data(), parse.data() + parse.size(), value);
      if (ec != std::errc() || end != parse.data() + parse.size()) return std::nullopt;
      return value;
    }
  }
  return ParseUnitBytes(text);
}

std::optional<uint32_t> ParseFileMode(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && Lower(text[1]) == 'o') text.remove_prefix(2);
  if (text.empty()) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '7') return std::nullopt;
  std::optional<uint64_t> mode =
      ParseMagnitude(text, 8, std::numeric_limits<uint32_t>::max());
  if (!mode) return std::nullopt;
  return static_cast<uint32_t>(*mode);
}

}  // namespace baton::compose
