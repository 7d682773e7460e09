// The RFC 3339 reader and writers declared in rfc3339.h.

#include "base/rfc3339.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace baton {
namespace {

// `count` decimal digits at `at`; clears `ok` when they are not there.
int Digits(std::string_view text, size_t at, size_t count, bool& ok) {
  int value = 0;
  if (at + count > text.size()) {
    ok = false;
    return 0;
  }
  auto read = std::from_chars(text.data() + at, text.data() + at + count, value);
  ok = ok && read.ec == std::errc() && read.ptr == text.data() + at + count;
  return value;
}

// The fraction and the zone after "YYYY-MM-DDTHH:MM:SS".
bool ReadTail(std::string_view text, int64_t& nanos, int& offset) {
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    int64_t scale = 100000000;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10)
      nanos += (text[at] - '0') * scale;
  }
  if (at + 1 == text.size() && text[at] == 'Z') return true;
  if (at >= text.size() || (text[at] != '+' && text[at] != '-')) return false;
  bool ok = at + 6 == text.size() && text[at + 3] == ':';
  int sign = text[at] == '-' ? -1 : 1;
  offset = sign * (Digits(text, at + 1, 2, ok) * 3600 + Digits(text, at + 4, 2, ok) * 60);
  return ok;
}

// "YYYY-MM-DDTHH:MM:SS" of `seconds` since the epoch, UTC.
std::string Whole(int64_t seconds) {
  std::time_t whole = static_cast<std::time_t>(seconds);
  std::tm utc{};
  ::gmtime_r(&whole, &utc);
  char text[96];  // room for any int fields, so the compiler sees no truncation
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return text;
}

// Seconds since the epoch (floored, also before 1970) and the rest in ns.
std::pair<int64_t, int64_t> Split(SystemTime time) {
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch());
  auto seconds = std::chrono::floor<std::chrono::seconds>(nanos);
  return {seconds.count(), (nanos - seconds).count()};
}

}  // namespace

std::optional<SystemTime> ParseRfc3339(std::string_view text) {
  bool ok = text.size() >= 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' &&
            text[13] == ':' && text[16] == ':';
  std::tm tm{};
  tm.tm_year = Digits(text, 0, 4, ok) - 1900;
  tm.tm_mon = Digits(text, 5, 2, ok) - 1;
  tm.tm_mday = Digits(text, 8, 2, ok);
  tm.tm_hour = Digits(text, 11, 2, ok);
  tm.tm_min = Digits(text, 14, 2, ok);
  tm.tm_sec = Digits(text, 17, 2, ok);
  int64_t nanos = 0;
  int offset = 0;
  if (!ok || tm.tm_year < 1 || !ReadTail(text, nanos, offset)) return std::nullopt;
  auto since_epoch = std::chrono::seconds(::timegm(&tm) - offset) + std::chrono::nanoseconds(nanos);
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(since_epoch));
}

std::string FormatRfc3339(SystemTime time) { return Whole(Split(time).first) + "Z"; }

std::string FormatRfc3339Millis(SystemTime time) {
  auto [seconds, nanos] = Split(time);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%03dZ", static_cast<int>(nanos / 1000000));
  return Whole(seconds) + fraction;
}

std::string FormatRfc3339Nanos(SystemTime time) {
  auto [seconds, nanos] = Split(time);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%09lldZ", static_cast<long long>(nanos));
  return Whole(seconds) + fraction;
}

std::string NowRfc3339() { return FormatRfc3339(std::chrono::system_clock::now()); }

}  // namespace baton
