// Lines, timestamps, prefixes and times for merged logs.

#include "runtime/log_lines.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>

#include "transport/duration.h"

namespace baton::runtime {
namespace {

// Colours as compose cycles them: the six plain ANSI colours but red (kept
// for errors), then their bright forms.
constexpr const char* kPalette[] = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};
constexpr int kPaletteSize = sizeof kPalette / sizeof kPalette[0];

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsDigit);
}

// "2024-05-01T12:00:00" at the start of `text`.
bool StartsWithDateTime(std::string_view text) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < kShape.size()) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i)
    if (kShape[i] == 'd' ? !IsDigit(text[i]) : text[i] != kShape[i]) return false;
  return true;
}

int Number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// Nine digits of nanoseconds from a fraction's digits ("5" -> "500000000").
std::string Nanoseconds(std::string_view digits) {
  std::string nanos(digits.substr(0, 9));
  nanos.resize(9, '0');
  return nanos;
}

std::string UnixText(std::int64_t seconds, std::string_view nanos) {
  return std::to_string(seconds) + "." + std::string(nanos);
}

// RFC 3339, or a bare date; nullopt for anything else.
std::optional<std::string> DateTimeToUnix(std::string_view text) {
  using namespace std::chrono;
  bool date_only = text.size() == 10;
  std::string padded = date_only ? std::string(text) + "T00:00:00Z" : std::string(text);
  std::string_view t = padded;
  if (!StartsWithDateTime(t)) return std::nullopt;
  year_month_day day{year{Number(t.substr(0, 4))}, month{unsigned(Number(t.substr(5, 2)))},
                     std::chrono::day{unsigned(Number(t.substr(8, 2)))}};
  int hours = Number(t.substr(11, 2)), minutes = Number(t.substr(14, 2));
  int secs = Number(t.substr(17, 2));
  if (!day.ok() || hours > 23 || minutes > 59 || secs > 60) return std::nullopt;
  t.remove_prefix(19);
  std::string_view fraction;
  if (t.starts_with('.')) {
    std::size_t end = 1;
    while (end < t.size() && IsDigit(t[end])) ++end;
    fraction = t.substr(1, end - 1);
    if (fraction.empty()) return std::nullopt;
    t.remove_prefix(end);
  }
  int offset = 0;  // seconds east of UTC
  if (t.size() == 6 && (t[0] == '+' || t[0] == '-') && AllDigits(t.substr(1, 2)) && t[3] == ':' &&
      AllDigits(t.substr(4, 2))) {
    offset = (Number(t.substr(1, 2)) * 3600 + Number(t.substr(4, 2)) * 60) * (t[0] == '-' ? -1 : 1);
  } else if (t != "Z" && t != "z") {
    return std::nullopt;
  }
  std::int64_t seconds = sys_days(day).time_since_epoch() / std::chrono::seconds(1) +
                         hours * 3600 + minutes * 60 + secs - offset;
  return UnixText(seconds, Nanoseconds(fraction));
}

}  // namespace

std::string LogSource::Label() const { return service + "-" + std::to_string(slot) + "@" + host; }

void LogLineSplitter::Feed(std::string_view data, const Sink& sink) {
  while (!data.empty()) {
    std::size_t newline = data.find('\n');
    std::size_t take = newline == std::string_view::npos ? data.size() : newline;
    take = std::min(take, kMaxLineBytes - pending_.size());
    pending_.append(data.substr(0, take));
    data.remove_prefix(take);
    bool ended = !data.empty() && data.front() == '\n';
    if (ended) data.remove_prefix(1);
    if (ended || pending_.size() == kMaxLineBytes) {
      sink(pending_);
      pending_.clear();
    }
  }
}

void LogLineSplitter::Finish(const Sink& sink) {
  if (!pending_.empty()) sink(pending_);
  pending_.clear();
}

TimedLine SplitTimestamp(std::string_view line) {
  TimedLine timed{"", {}, line};
  std::size_t space = line.find(' ');
  if (space == std::string_view::npos || !StartsWithDateTime(line)) return timed;
  std::string_view stamp = line.substr(0, space);
  std::string_view fraction;
  if (stamp.size() > 20 && stamp[19] == '.') {
    std::size_t end = 20;
    while (end < stamp.size() && IsDigit(stamp[end])) ++end;
    fraction = stamp.substr(20, end - 20);
  }
  // The engine writes every stamp in UTC with nine fraction digits; padding
  // keeps the order right for stamps written with fewer.
  timed.order_key = std::string(stamp.substr(0, 19)) + "." + Nanoseconds(fraction);
  timed.timestamp = stamp;
  timed.text = line.substr(space + 1);
  return timed;
}

void LogFormatter::Add(const LogSource& source) {
  width_ = std::max(width_, source.Label().size());
  if (!colour_of_service_.contains(source.service)) {
    int next = static_cast<int>(colour_of_service_.size());
    colour_of_service_[source.service] = next % kPaletteSize;
  }
}

std::string LogFormatter::Format(const LogSource& source, const TimedLine& line) const {
  std::string out;
  if (view_.prefix) {
    std::string label = source.Label();
    label.resize(std::max(width_, label.size()), ' ');
    auto colour = colour_of_service_.find(source.service);
    if (view_.color && colour != colour_of_service_.end())
      out += std::string("\033[") + kPalette[colour->second] + "m" + label + " |\033[0m ";
    else
      out += label + " | ";
  }
  if (view_.show_timestamps && !line.timestamp.empty()) {
    out += line.timestamp;
    out += ' ';
  }
  out += line.text;
  out += '\n';
  return out;
}

Result<std::string> LogTimeToUnix(std::string_view text,
                                  std::chrono::system_clock::time_point now) {
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  // At most 15 digits: far beyond any real time, and safe from overflow.
  if (AllDigits(whole) && whole.size() <= 15 && (dot == std::string_view::npos || AllDigits(text.substr(dot + 1))))
    return UnixText(std::stoll(std::string(whole)),
                    Nanoseconds(dot == std::string_view::npos ? "" : text.substr(dot + 1)));
  if (std::optional<std::string> unix = DateTimeToUnix(text)) return *unix;
  Result<std::chrono::milliseconds> ago = transport::ParseDuration(text);
  if (!ago.ok())
    return Error::Invalid("--since", "\"" + std::string(text) +
                                         "\" is neither a time (2024-05-01T12:00:00Z, unix "
                                         "seconds) nor a duration (10m, 1h30m)");
  auto at = std::chrono::duration_cast<std::chrono::nanoseconds>(
      (now - *ago).time_since_epoch());
  char nanos[16];
  std::snprintf(nanos, sizeof nanos, "%09lld", static_cast<long long>(at.count() % 1000000000));
  return UnixText(at.count() / 1000000000, nanos);
}

}  // namespace baton::runtime
