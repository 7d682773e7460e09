#include "runtime/dns/resolve.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/dns/dns_bytes.h"
#include "tests/dns/resolve_fixture.h"

namespace baton::dns {
namespace {

using namespace std::string_literals;
using namespace testing;

Reply Ask(const std::string& query, uint32_t asker = kWebBack, ResolveOptions options = {}) {
  return Resolve(query, asker, ShopEndpoints(), options);
}

// The addresses of the A answers of a reply to a query without EDNS.
std::vector<uint32_t> Addresses(const Reply& reply, const std::string& query) {
  REQUIRE(reply.verdict == Verdict::kAnswer);
  size_t count = (static_cast<uint8_t>(reply.bytes[6]) << 8) | static_cast<uint8_t>(reply.bytes[7]);
  std::vector<uint32_t> addresses;
  for (size_t i = 0; i < count; ++i) {
    size_t at = query.size() + i * 16 + 12;
    REQUIRE(reply.bytes.size() >= at + 4);
    uint32_t ip = 0;
    for (size_t b = 0; b < 4; ++b) ip = (ip << 8) | static_cast<uint8_t>(reply.bytes[at + b]);
    addresses.push_back(ip);
  }
  return addresses;
}

// A NOERROR reply that echoes the question and answers nothing.
std::string NoData(const std::string& name, uint16_t type) {
  return HeaderBytes(0x1234, kAnswerFlags, 1) + QuestionBytes(name, type);
}

TEST_CASE("resolve: service name answers its ready replicas on the asker's networks",
          "[dns][resolve]") {
  // As Docker's embedded DNS forwards `nslookup api`: id, RD, one question, api A IN.
  std::string query =
      "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03"
      "api"
      "\x00\x00\x01\x00\x01"s;
  std::string expected = HeaderBytes(0x1234, kAnswerFlags, 1, 2) + QuestionBytes("api", kTypeA) +
                         ARecord(1, kApi1) + ARecord(1, kApi2);
  Reply reply = Ask(query);
  CHECK(reply.verdict == Verdict::kAnswer);
  CHECK(Hex(reply.bytes) == Hex(expected));
}

TEST_CASE("resolve: names are case-insensitive and the question keeps its case", "[dns][resolve]") {
  std::string expected = HeaderBytes(0x1234, kAnswerFlags, 1, 2) + QuestionBytes("aPI", kTypeA) +
                         ARecord(1, kApi1) + ARecord(1, kApi2);
  CHECK(Hex(Ask(Query("aPI", kTypeA)).bytes) == Hex(expected));
}

TEST_CASE("resolve: tasks.<service> answers the ready replicas", "[dns][resolve]") {
  std::string query = Query("Tasks.api", kTypeA);
  CHECK(Addresses(Ask(query), query) == std::vector<uint32_t>{kApi1, kApi2});
}

TEST_CASE("resolve: alias answers the ready replicas that carry it", "[dns][resolve]") {
  std::string query = Query("backend", kTypeA);
  CHECK(Addresses(Ask(query), query) == std::vector<uint32_t>{kApi1, kApi2});
}

TEST_CASE("resolve: alias given with a trailing dot matches", "[dns][resolve]") {
  std::string query = Query("database", kTypeA);
  CHECK(Addresses(Ask(query), query) == std::vector<uint32_t>{kDb});
}

TEST_CASE("resolve: container name answers even when not ready", "[dns][resolve]") {
  std::string query = Query("shop-api-3", kTypeA);
  CHECK(Addresses(Ask(query), query) == std::vector<uint32_t>{kApi3});
}

TEST_CASE("resolve: service with no ready replica gets NOERROR without answers", "[dns][resolve]") {
  Reply reply = Ask(Query("idle", kTypeA));
  CHECK(reply.verdict == Verdict::kAnswer);
  CHECK(Hex(reply.bytes) == Hex(NoData("idle", kTypeA)));
}

TEST_CASE("resolve: known name asked for AAAA gets NOERROR without answers", "[dns][resolve]") {
  CHECK(Hex(Ask(Query("api", kTypeAaaa)).bytes) == Hex(NoData("api", kTypeAaaa)));
}

TEST_CASE("resolve: known name asked for SRV gets NOERROR without answers", "[dns][resolve]") {
  CHECK(Hex(Ask(Query("api", kTypeSrv)).bytes) == Hex(NoData("api", kTypeSrv)));
}

TEST_CASE("resolve: unknown name is forwarded", "[dns][resolve]") {
  Reply reply = Ask(Query("example.com", kTypeA));
  CHECK(reply.verdict == Verdict::kForward);
  CHECK(reply.bytes.empty());
}

TEST_CASE("resolve: name only on a network the asker is not on is forwarded", "[dns][resolve]") {
  CHECK(Ask(Query("db", kTypeA), kProxyFront).verdict == Verdict::kForward);
  CHECK(Ask(Query("shop-db-1", kTypeA), kProxyFront).verdict == Verdict::kForward);
}

TEST_CASE("resolve: another project's replicas are not answered", "[dns][resolve]") {
  std::string query = Query("api", kTypeA);
  CHECK(Addresses(Ask(query, kOtherApi), query) == std::vector<uint32_t>{kOtherApi});
}

TEST_CASE("resolve: asking from one network answers names of the asker's other networks",
          "[dns][resolve]") {
  std::string query = Query("api", kTypeA);
  CHECK(Addresses(Ask(query, kWebFront), query) == std::vector<uint32_t>{kApi1, kApi2});
}

TEST_CASE("resolve: unknown asker has every name forwarded", "[dns][resolve]") {
  CHECK(Ask(Query("api", kTypeA), Ip(10, 210, 200, 9)).verdict == Verdict::kForward);
}

TEST_CASE("resolve: replica on two shared networks answers once, on the first by name",
          "[dns][resolve]") {
  std::string query = Query("cache", kTypeA);
  CHECK(Addresses(Ask(query, kWebFront), query) == std::vector<uint32_t>{kCacheBack});
}

TEST_CASE("resolve: rotation rotates the order of the answers", "[dns][resolve]") {
  std::string query = Query("api", kTypeA);
  ResolveOptions options;
  options.rotation = 1;
  CHECK(Addresses(Ask(query, kWebBack, options), query) == std::vector<uint32_t>{kApi2, kApi1});
  options.rotation = 4;
  CHECK(Addresses(Ask(query, kWebBack, options), query) == std::vector<uint32_t>{kApi1, kApi2});
}

TEST_CASE("resolve: ttl comes from the options", "[dns][resolve]") {
  ResolveOptions options;
  options.ttl = 30;
  std::string expected =
      HeaderBytes(0x1234, kAnswerFlags, 1, 1) + QuestionBytes("db", kTypeA) + ARecord(30, kDb);
  CHECK(Hex(Ask(Query("db", kTypeA), kWebBack, options).bytes) == Hex(expected));
}

TEST_CASE("resolve: class other than IN is forwarded", "[dns][resolve]") {
  std::string query = HeaderBytes(0x1234, kQueryFlags, 1) + WireName("api") + U16(1) + U16(3);
  CHECK(Ask(query).verdict == Verdict::kForward);
}

}  // namespace
}  // namespace baton::dns
