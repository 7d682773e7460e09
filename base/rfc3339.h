#pragma once
// RFC 3339 times as the engine writes them and baton's records and events
// carry them: "2026-11-29T05:07:13Z", "...13.123Z", "...13.123456789Z" or
// with an offset "+01:00". Always written in UTC.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace baton {

using SystemTime = std::chrono::system_clock::time_point;

// nullopt when malformed, and for the engine's zero time (year 1, "never").
std::optional<SystemTime> ParseRfc3339(std::string_view text);

// Whole seconds: "2026-11-29T05:07:13Z".
std::string FormatRfc3339(SystemTime time);
// Milliseconds: "2026-11-29T05:07:13.123Z" (log lines).
std::string FormatRfc3339Millis(SystemTime time);
// Nanoseconds: "2026-11-29T05:07:13.123456789Z" (times that must round-trip).
std::string FormatRfc3339Nanos(SystemTime time);

// This machine's clock now, whole seconds.
std::string NowRfc3339();

}  // namespace baton
