#include <catch2/catch.hpp>
#include <set>

#include "runtime/netd/forward_table.h"

namespace baton::netd {
namespace {

using Clock = std::chrono::steady_clock;

TEST_CASE("forward table: a reply's id finds its query once", "[netd][forward]") {
  ForwardTable table(4, 1);
  auto id = table.Add({"query", 7, Clock::now()});
  REQUIRE(id);
  auto taken = table.Take(*id);
  REQUIRE(taken);
  CHECK(taken->client == 7);
  CHECK_FALSE(table.Take(*id));
}

TEST_CASE("forward table: ids are distinct while pending", "[netd][forward]") {
  ForwardTable table(300, 2);
  std::set<uint16_t> ids;
  for (int i = 0; i < 300; ++i) ids.insert(*table.Add({"q", 0, Clock::now()}));
  CHECK(ids.size() == 300);
}

TEST_CASE("forward table: full refuses", "[netd][forward]") {
  ForwardTable table(2, 3);
  CHECK(table.Add({"a", 1, Clock::now()}));
  CHECK(table.Add({"b", 2, Clock::now()}));
  CHECK_FALSE(table.Add({"c", 3, Clock::now()}));
}

TEST_CASE("forward table: expired entries are taken out", "[netd][forward]") {
  ForwardTable table(4, 4);
  Clock::time_point now = Clock::now();
  table.Add({"old", 1, now - std::chrono::seconds(1)});
  table.Add({"new", 2, now + std::chrono::seconds(1)});
  auto expired = table.TakeExpired(now);
  REQUIRE(expired.size() == 1);
  CHECK(expired[0].query == "old");
  CHECK(table.size() == 1);
}

TEST_CASE("forward table: ids are read and replaced in place", "[netd][forward]") {
  std::string message = std::string("\x12\x34", 2) + std::string(10, '\0');
  CHECK(IdOf(message) == 0x1234);
  CHECK(IdOf(WithId(message, 0xbeef)) == 0xbeef);
  CHECK(WithId("\x12\x34", 1) == "\x12\x34");
  CHECK(IdOf("x") == 0);
}

}  // namespace
}  // namespace baton::netd
