#pragma once
// Durations in hosts files and flags ("5s", "500ms", "1m30s").

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace baton::transport {

// Reads a positive duration: one or more decimal numbers each followed by a
// unit (ms, s, m, h), as Go writes them. kInvalid with an empty `where` for
// anything else, including zero and bare numbers (a unit is required so that
// "5" is never silently read as 5 ms or 5 s).
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// "5s", "1.5s", "250ms", "2m": the shortest of those forms that is exact.
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace baton::transport
