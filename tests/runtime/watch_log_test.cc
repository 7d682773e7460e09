#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <string>

#include "runtime/watch_log.h"

namespace baton::runtime {
namespace {

using namespace std::chrono_literals;

// 2026-11-29T05:07:13.123Z
const std::chrono::system_clock::time_point kAt =
    std::chrono::system_clock::time_point(1795928833s) + 123ms;

WatchEvent Restart() {
  WatchEvent event;
  event.time = kAt;
  event.kind = "restart";
  event.project = "shop";
  event.service = "web";
  event.slot = 2;
  event.host = "lab1";
  event.fields = {{"exit", "3"}, {"backoff", "4s"}};
  return event;
}

TEST_CASE("watch log: logfmt puts time, level and kind first and leaves unset parts out",
          "[runtime][watchlog]") {
  CHECK(ToLogfmt(Restart()) ==
        "2026-11-29T05:07:13.123Z info restart project=shop service=web slot=2 host=lab1 "
        "exit=3 backoff=4s");
  WatchEvent lease;
  lease.time = kAt;
  lease.kind = "lease";
  lease.fields = {{"state", "gained"}};
  CHECK(ToLogfmt(lease) == "2026-11-29T05:07:13.123Z info lease state=gained");
}

TEST_CASE("watch log: logfmt quotes values with spaces, quotes, equals or newlines",
          "[runtime][watchlog]") {
  WatchEvent event = Restart();
  event.level = "error";
  event.fields = {{"why", "a \"b\" = c\\d\ne"}, {"empty", ""}};
  event.message = "2 lines\nhere";
  CHECK(ToLogfmt(event) ==
        "2026-11-29T05:07:13.123Z error restart project=shop service=web slot=2 host=lab1 "
        "why=\"a \\\"b\\\" = c\\\\d\\ne\" empty=\"\" msg=\"2 lines\\nhere\"");
}

TEST_CASE("watch log: a JSON line reads back to the same event", "[runtime][watchlog]") {
  WatchEvent event = Restart();
  event.message = "exit 3";
  std::string line = ToJsonLine(event);
  CHECK(line ==
        R"({"time":"2026-11-29T05:07:13.123Z","level":"info","kind":"restart","project":"shop",)"
        R"("service":"web","slot":2,"host":"lab1","message":"exit 3",)"
        R"("fields":{"exit":"3","backoff":"4s"}})");
  Result<WatchEvent> back = ParseJsonLine(line);
  REQUIRE(back.ok());
  CHECK(back->time == kAt);
  CHECK(back->kind == "restart");
  CHECK(back->project == "shop");
  CHECK(back->service == "web");
  CHECK(back->slot == 2);
  CHECK(back->host == "lab1");
  CHECK(back->message == "exit 3");
  REQUIRE(back->fields.size() == 2);
  CHECK(back->fields[0].first == "exit");
  CHECK(ToJsonLine(*back) == line);
}

TEST_CASE("watch log: a line without a kind is malformed", "[runtime][watchlog]") {
  Result<WatchEvent> r = ParseJsonLine(R"({"time":"2026-11-29T05:07:13.123Z","level":"info"})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == Error::Kind::kInvalid);
  CHECK(r.error().ToString() == "malformed watch event: kind is missing");
  Result<WatchEvent> bad_time = ParseJsonLine(R"({"time":"yesterday","kind":"lease"})");
  REQUIRE_FALSE(bad_time.ok());
  CHECK(bad_time.error().ToString() ==
        "malformed watch event: time is not an RFC 3339 UTC time");
}

TEST_CASE("watch log: the ring keeps the newest events within its count",
          "[runtime][watchlog]") {
  EventRing ring(3);
  for (int slot = 1; slot <= 5; ++slot) {
    WatchEvent event = Restart();
    event.slot = slot;
    ring.Add(event);
  }
  CHECK(ring.added() == 5);
  std::string jsonl = ring.Jsonl();
  CHECK(std::count(jsonl.begin(), jsonl.end(), '\n') == 3);
  CHECK(jsonl.find("\"slot\":2") == std::string::npos);
  CHECK(jsonl.find("\"slot\":3") < jsonl.find("\"slot\":5"));
}

TEST_CASE("watch log: the ring drops the oldest events beyond its byte budget",
          "[runtime][watchlog]") {
  size_t line = ToJsonLine(Restart()).size() + 1;
  EventRing ring(1000, 2 * line + line / 2);
  for (int i = 0; i < 4; ++i) ring.Add(Restart());
  std::string jsonl = ring.Jsonl();
  CHECK(jsonl.size() == 2 * line);
  CHECK(jsonl.back() == '\n');
}

}  // namespace
}  // namespace baton::runtime
