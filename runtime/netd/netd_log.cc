#include "runtime/netd/netd_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace baton::netd {

std::string LogTimestamp(long long unix_millis) {
  std::time_t seconds = static_cast<std::time_t>(unix_millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);  // UTC: a static binary has no time zone data to read
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(unix_millis % 1000));
  return text;
}

void LogLine(const std::string& line) {
  static std::mutex mu;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  std::string text =
      LogTimestamp(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) + line +
      "\n";
  std::lock_guard lock(mu);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace baton::netd
