#include "transport/duration.h"

#include <optional>

#include "base/go_duration.h"

namespace baton::transport {
namespace {

Error Invalid(std::string_view text) {
  return Error::Invalid("", "invalid duration \"" + std::string(text) +
                                "\" (expected a number and a unit: 500ms, 5s, 1m30s)");
}

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  // A bare number is refused (Go accepts only "0" bare) so that "5" is never
  // silently read as 5 ms or 5 s.
  std::optional<Duration> duration = ParseGoDuration(text);
  if (!duration) return Invalid(text);
  // Anything beyond a day is a typo, and it keeps the count far from overflow.
  if (*duration < std::chrono::milliseconds(1) || *duration > std::chrono::hours(24)) {
    return Error::Invalid("", "duration \"" + std::string(text) + "\" out of range (1ms to 24h)");
  }
  return std::chrono::round<std::chrono::milliseconds>(*duration);
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
