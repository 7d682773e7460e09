#include "transport/duration.h"

#include <cmath>
#include <cstdlib>
#include <optional>

namespace baton::transport {
namespace {

// Milliseconds per unit, or nullopt for an unknown unit.
std::optional<double> UnitMillis(std::string_view unit) {
  if (unit == "ms") return 1.0;
  if (unit == "s") return 1000.0;
  if (unit == "m") return 60'000.0;
  if (unit == "h") return 3'600'000.0;
  return std::nullopt;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Error Invalid(std::string_view text) {
  return Error::Invalid("", "invalid duration \"" + std::string(text) +
                                "\" (expected a number and a unit: 500ms, 5s, 1m30s)");
}

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  double total = 0;
  size_t i = 0;
  if (text.empty()) return Invalid(text);
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (IsDigit(text[i]) || text[i] == '.')) ++i;
    std::string number(text.substr(start, i - start));
    size_t unit_start = i;
    while (i < text.size() && !IsDigit(text[i]) && text[i] != '.') ++i;
    auto unit = UnitMillis(text.substr(unit_start, i - unit_start));
    char* end = nullptr;
    double value = number.empty() ? -1 : std::strtod(number.c_str(), &end);
    if (!unit || value < 0 || end != number.c_str() + number.size()) return Invalid(text);
    total += value * *unit;
  }
  // Anything beyond a day is a typo, and it keeps the count far from overflow.
  if (total < 1 || total > 86'400'000.0) {
    return Error::Invalid("", "duration \"" + std::string(text) + "\" out of range (1ms to 24h)");
  }
  return std::chrono::milliseconds(static_cast<long long>(std::llround(total)));
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  long long ms = duration.count();
  if (ms % 60'000 == 0 && ms != 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  if (ms >= 1000) {
    std::string text = std::to_string(ms / 1000) + "." + std::to_string(1000 + ms % 1000).substr(1);
    while (text.back() == '0') text.pop_back();
    return text + "s";
  }
  return std::to_string(ms) + "ms";
}

}  // namespace baton::transport
