// `baton events` follows the watcher's ring of event lines: only what is
// new is printed, also when the ring rolled past the last printed line.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli/events_command.h"

namespace baton::cli {
namespace {

std::string Event(const std::string& time, const std::string& kind) {
  return R"({"time":")" + time + R"(","kind":")" + kind + R"("})";
}

std::string Ring(const std::vector<std::string>& lines) {
  std::string jsonl;
  for (const std::string& line : lines) jsonl += line + "\n";
  return jsonl;
}

TEST_CASE("events: the lines after the last printed one are new", "[cli][events]") {
  EventCursor cursor;
  std::string a = Event("2026-11-29T05:00:00Z", "start");
  std::string b = Event("2026-11-29T05:00:01Z", "restart");
  CHECK(TakeNewLines(Ring({a}), cursor) == std::vector<std::string>{a});
  CHECK(TakeNewLines(Ring({a, b}), cursor) == std::vector<std::string>{b});
  CHECK(TakeNewLines(Ring({a, b}), cursor).empty());
}

TEST_CASE("events: a rollover keeps the unprinted events of the last printed second",
          "[cli][events]") {
  EventCursor cursor;
  std::string a = Event("2026-11-29T05:00:00Z", "start");
  std::string b = Event("2026-11-29T05:00:01Z", "restart");
  std::string c = Event("2026-11-29T05:00:01Z", "takeover");
  std::string d = Event("2026-11-29T05:00:02Z", "replace");
  CHECK(TakeNewLines(Ring({a, b}), cursor) == std::vector<std::string>{a, b});
  // The ring dropped a and b; c came in the same second as b.
  CHECK(TakeNewLines(Ring({c, d}), cursor) == std::vector<std::string>{c, d});
  CHECK(TakeNewLines(Ring({d}), cursor).empty());
}

}  // namespace
}  // namespace baton::cli
