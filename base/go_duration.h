#pragma once
// Durations as Go writes them ("1m30s", "1.5h", "300ms", "10us", "5ns"),
// read and printed exactly as Go's time package does, plus the days and
// weeks ("2d", "1w") that compose accepts through go-str2duration. Compose
// files, hosts files and flags all use this one syntax.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace baton {

using Duration = std::chrono::nanoseconds;

// Go's time.ParseDuration: a sign, then one or more decimal numbers each with
// a unit; "0" alone needs no unit. nullopt for anything else or on overflow.
std::optional<Duration> ParseGoDuration(std::string_view text);

// Go's time.Duration.String(): "1m30s", "1h0m0s", "1.5s", "300ms", "0s".
std::string FormatGoDuration(Duration duration);

}  // namespace baton
