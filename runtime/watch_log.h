#pragma once
// The watcher's events: one line each on stderr (logfmt by default, JSON with
// --log-format json) and the ring of recent ones that `baton events` reads
// from the lease record's /events.jsonl.
//
// Kinds: restart, takeover, replace, crashloop, host-down, host-up, failover,
// move, pinned, scale, autoscale, drain, lease, paused, state-conflict, error.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace baton::runtime {

struct WatchEvent {
  std::chrono::system_clock::time_point time;
  std::string level = "info";  // info | warn | error
  std::string kind;            // see above
  std::string project;         // empty, service empty, slot 0, host empty: not about one
  std::string service;
  int slot = 0;
  std::string host;
  std::string message;  // free text for people; may be empty
  // Extra facts in order ({"exit","3"}, {"backoff","4s"}); keys are logfmt
  // keys (no spaces or '=').
  std::vector<std::pair<std::string, std::string>> fields;
};


// One JSON object, no newline: {"time","level","kind", then "project",
// "service", "slot", "host", "message" when set, then "fields":{...} when any}.
std::string ToJsonLine(const WatchEvent& event);
// Reads what ToJsonLine wrote (unknown keys ignored). kInvalid "malformed
// watch event: ..." for anything else.
Result<WatchEvent> ParseJsonLine(std::string_view line);
// One logfmt line, no newline:
//   2026-11-29T05:07:13.123Z info restart project=shop service=web slot=2
//   host=lab1 exit=3 backoff=4s msg="..."
// (one line; unset parts left out). Values with spaces, '=', '"' or
// control characters, and empty values, are quoted with \" \\ \n escaped.
std::string ToLogfmt(const WatchEvent& event);

// The most recent events, bounded in count and in JSONL size (the oldest
// are dropped first). Threads: every method may be called from any thread.
class EventRing {
 public:
  explicit EventRing(size_t max_events = 1000, size_t max_bytes = 256 * 1024)
      : max_events_(max_events), max_bytes_(max_bytes) {}

  void Add(WatchEvent event);
  // The kept events, oldest first, one ToJsonLine per line, each ended by '\n'.
  std::string Jsonl() const;
  // How many events were ever added; changes whenever Jsonl() does, so a
  // publisher can skip unchanged rewrites.
  uint64_t added() const;

 private:
  const size_t max_events_;
  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::deque<std::string> lines_;  // guarded by mu_; each with its '\n'
  size_t bytes_ = 0;               // guarded by mu_
  uint64_t added_ = 0;             // guarded by mu_
};

}  // namespace baton::runtime
