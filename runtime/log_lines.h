#pragma once
// The pure parts of showing many containers' logs as one: splitting output
// into lines, the engine's timestamps on them, and the coloured prefixes.
// No I/O; log_merge.h does the reading.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace baton::runtime {

// One container whose log is shown.
struct LogSource {
  std::string host;          // the hosts-file name
  std::string container_id;  // an id or a name
  std::string service;
  int slot = 0;
  // "web-2@lab1": the replica, and where it runs.
  std::string Label() const;
};

// How lines are shown.
struct LogView {
  bool prefix = true;            // "web-2@lab1 | " before each line
  bool color = false;            // the prefix in its service's colour
  bool show_timestamps = false;  // keep the engine's timestamp at the start of each line
};

// Cuts one stream of output into whole lines as pieces arrive. A line longer
// than kMaxLineBytes is passed on in pieces of that size, so a container that
// never writes a newline cannot grow memory without bound.
class LogLineSplitter {
 public:
  static constexpr std::size_t kMaxLineBytes = 1 << 20;
  // Receives a line without its '\n' (a '\r' before it is kept).
  using Sink = std::function<void(std::string_view line)>;

  void Feed(std::string_view data, const Sink& sink);
  // Passes on a last line that lacked its newline.
  void Finish(const Sink& sink);

 private:
  std::string pending_;
};

// A line as the engine sends it with timestamps=1:
// "2024-05-01T12:00:00.123456789Z text".
struct TimedLine {
  std::string order_key;  // sorts in time order; "" when the line has no timestamp
  std::string_view timestamp;  // "2024-05-01T12:00:00.123456789Z", or empty
  std::string_view text;       // the rest, after the space
};

// Splits off the timestamp. A line that does not start with one is all text.
TimedLine SplitTimestamp(std::string_view line);

// Formats lines of many sources. Each service gets one colour, the same for
// every replica, in the order services are first seen; prefixes are padded
// to the widest label seen so far so that the bars line up.
class LogFormatter {
 public:
  explicit LogFormatter(LogView view) : view_(view) {}

  // Registers a source before its lines are formatted (for width and colour).
  void Add(const LogSource& source);
  // The line as shown, ending in '\n'.
  std::string Format(const LogSource& source, const TimedLine& line) const;

 private:
  LogView view_;
  std::size_t width_ = 0;
  std::map<std::string, int> colour_of_service_;
};

// The unix time the engine's `since` takes ("1714564800.000000000") from
// what a user types: unix seconds ("1714564800", "1714564800.5"), RFC 3339
// ("2024-05-01T12:00:00Z", "2024-05-01T14:00:00+02:00", fractions allowed),
// a date ("2024-05-01", midnight UTC), or a Go duration before `now`
// ("10m", "1h30m", "90s"). kInvalid at "--since" otherwise.
Result<std::string> LogTimeToUnix(std::string_view text, std::chrono::system_clock::time_point now);

}  // namespace baton::runtime
