#pragma once
// netd's log: one line per event on standard error, which is its container's
// log, each with a UTC timestamp. Any thread.

#include <string>

namespace baton::netd {

void LogLine(const std::string& line);
// "2024-05-01T12:00:00.123Z " for the given time in milliseconds since 1970.
std::string LogTimestamp(long long unix_millis);

}  // namespace baton::netd
