#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "runtime/dns/resolve.h"
#include "tests/dns/dns_bytes.h"
#include "tests/dns/resolve_fixture.h"

namespace baton::dns {
namespace {

using namespace std::string_literals;
using namespace testing;

Reply Ask(const std::string& query, ResolveOptions options = {}) {
  return Resolve(query, kWebBack, ShopEndpoints(), options);
}

std::string FormErr(uint16_t id) { return HeaderBytes(id, 0x8181, 0); }

std::string SrvRecord(uint16_t port, const std::string& target) {
  std::string name = WireName(target);
  return "\xC0\x0C"s + U16(kTypeSrv) + U16(1) + U32(1) + U16(6 + name.size()) + U16(0) + U16(1) +
         U16(port) + name;
}

TEST_CASE("resolve: SRV gives port and container target with its address", "[dns][resolve]") {
  std::string expected = HeaderBytes(0x1234, kAnswerFlags, 1, 2, 0, 2) +
                         QuestionBytes("_8080._tcp.api", kTypeSrv) + SrvRecord(8080, "shop-api-1") +
                         SrvRecord(8080, "shop-api-2") + ARecord(1, kApi1, WireName("shop-api-1")) +
                         ARecord(1, kApi2, WireName("shop-api-2"));
  Reply reply = Ask(Query("_8080._tcp.api", kTypeSrv));
  CHECK(reply.verdict == Verdict::kAnswer);
  CHECK(Hex(reply.bytes) == Hex(expected));
}

TEST_CASE("resolve: SRV over udp is answered too", "[dns][resolve]") {
  std::string expected = HeaderBytes(0x1234, kAnswerFlags, 1, 1, 0, 1) +
                         QuestionBytes("_53._UDP.db", kTypeSrv) + SrvRecord(53, "shop-db-1") +
                         ARecord(1, kDb, WireName("shop-db-1"));
  CHECK(Hex(Ask(Query("_53._UDP.db", kTypeSrv)).bytes) == Hex(expected));
}

TEST_CASE("resolve: SRV name asked for A gets NOERROR without answers", "[dns][resolve]") {
  std::string expected =
      HeaderBytes(0x1234, kAnswerFlags, 1) + QuestionBytes("_80._tcp.api", kTypeA);
  CHECK(Hex(Ask(Query("_80._tcp.api", kTypeA)).bytes) == Hex(expected));
}

TEST_CASE("resolve: SRV name without a numeric port is forwarded", "[dns][resolve]") {
  CHECK(Ask(Query("_http._tcp.api", kTypeSrv)).verdict == Verdict::kForward);
  CHECK(Ask(Query("_0._tcp.api", kTypeSrv)).verdict == Verdict::kForward);
  CHECK(Ask(Query("_65536._tcp.api", kTypeSrv)).verdict == Verdict::kForward);
  CHECK(Ask(Query("_80._sctp.api", kTypeSrv)).verdict == Verdict::kForward);
}

TEST_CASE("resolve: SRV of an unknown service is forwarded", "[dns][resolve]") {
  CHECK(Ask(Query("_80._tcp.nothing", kTypeSrv)).verdict == Verdict::kForward);
}

std::vector<Endpoint> ManyReplicas(int count) {
  std::vector<Endpoint> endpoints = ShopEndpoints();
  for (int i = 0; i < count; ++i) {
    endpoints.push_back(
        {"shop_back", Ip(10, 210, 100, i + 1), "big", "shop-big-" + std::to_string(i), {}, true});
  }
  return endpoints;
}

TEST_CASE("resolve: answer over max_size is cut at a whole record and sets TC", "[dns][resolve]") {
  // 12 header + 9 question + 30 * 16 = 501 bytes; a 31st record would make 517.
  std::string expected = HeaderBytes(0x1234, 0x8780, 1, 30) + QuestionBytes("big", kTypeA);
  for (int i = 0; i < 30; ++i) expected += ARecord(1, Ip(10, 210, 100, i + 1));
  Reply reply = Resolve(Query("big", kTypeA), kWebBack, ManyReplicas(40), {});
  CHECK(Hex(reply.bytes) == Hex(expected));
}

TEST_CASE("resolve: answer that fits max_size exactly is whole", "[dns][resolve]") {
  ResolveOptions options;
  options.max_size = 12 + 9 + 3 * 16;
  std::string expected = HeaderBytes(0x1234, kAnswerFlags, 1, 3) + QuestionBytes("big", kTypeA);
  for (int i = 0; i < 3; ++i) expected += ARecord(1, Ip(10, 210, 100, i + 1));
  CHECK(Hex(Resolve(Query("big", kTypeA), kWebBack, ManyReplicas(3), options).bytes) ==
        Hex(expected));
}

TEST_CASE("resolve: cut SRV answer carries no additional records", "[dns][resolve]") {
  ResolveOptions options;
  options.max_size = 12 + 18 + 30;  // header, question, one SRV record to shop-api-1
  std::string expected = HeaderBytes(0x1234, 0x8780, 1, 1) +
                         QuestionBytes("_80._tcp.api", kTypeSrv) + SrvRecord(80, "shop-api-1");
  CHECK(Hex(Ask(Query("_80._tcp.api", kTypeSrv), options).bytes) == Hex(expected));
}

TEST_CASE("resolve: EDNS query is answered without echoing its OPT record", "[dns][resolve]") {
  std::string opt = "\x00"s + U16(41) + U16(1232) + U32(0) + U16(0);
  std::string query =
      HeaderBytes(0x1234, kQueryFlags, 1, 0, 0, 1) + QuestionBytes("db", kTypeA) + opt;
  std::string expected =
      HeaderBytes(0x1234, kAnswerFlags, 1, 1) + QuestionBytes("db", kTypeA) + ARecord(1, kDb);
  CHECK(Hex(Ask(query).bytes) == Hex(expected));
}

TEST_CASE("resolve: message shorter than a header is dropped", "[dns][resolve]") {
  CHECK(Ask("").verdict == Verdict::kDrop);
  CHECK(Ask(Query("api", kTypeA).substr(0, 11)).verdict == Verdict::kDrop);
}

TEST_CASE("resolve: response is dropped", "[dns][resolve]") {
  std::string response = HeaderBytes(0x1234, 0x8180, 1) + QuestionBytes("api", kTypeA);
  Reply reply = Ask(response);
  CHECK(reply.verdict == Verdict::kDrop);
  CHECK(reply.bytes.empty());
}

TEST_CASE("resolve: opcode other than QUERY gets NOTIMP", "[dns][resolve]") {
  // opcode 2 (STATUS), RD.
  std::string query = HeaderBytes(0x0042, 0x1100, 1) + QuestionBytes("api", kTypeA);
  Reply reply = Ask(query);
  CHECK(reply.verdict == Verdict::kAnswer);
  CHECK(Hex(reply.bytes) == Hex(HeaderBytes(0x0042, 0x9184, 0)));
}

TEST_CASE("resolve: header without a question gets FORMERR", "[dns][resolve]") {
  CHECK(Hex(Ask(HeaderBytes(0x0007, kQueryFlags, 0)).bytes) == Hex(FormErr(7)));
}

TEST_CASE("resolve: two questions get FORMERR", "[dns][resolve]") {
  std::string query = HeaderBytes(0x0007, kQueryFlags, 2) + QuestionBytes("api", kTypeA) +
                      QuestionBytes("db", kTypeA);
  CHECK(Hex(Ask(query).bytes) == Hex(FormErr(7)));
}

TEST_CASE("resolve: compression pointer loop gets FORMERR", "[dns][resolve]") {
  std::string query = HeaderBytes(0x0007, kQueryFlags, 1) +
                      "\x01"
                      "a"
                      "\xC0\x0C"s +
                      U16(1) + U16(1);
  CHECK(Hex(Ask(query).bytes) == Hex(FormErr(7)));
}

TEST_CASE("resolve: label longer than 63 bytes gets FORMERR", "[dns][resolve]") {
  std::string query = HeaderBytes(0x0007, kQueryFlags, 1) + QuestionBytes(std::string(64, 'a'), 1);
  CHECK(Hex(Ask(query).bytes) == Hex(FormErr(7)));
}

TEST_CASE("resolve: name longer than 255 bytes gets FORMERR", "[dns][resolve]") {
  std::string l63(63, 'a');
  std::string name = l63 + "." + l63 + "." + l63 + "." + std::string(62, 'b');
  std::string query = HeaderBytes(0x0007, kQueryFlags, 1) + QuestionBytes(name, 1);
  CHECK(Hex(Ask(query).bytes) == Hex(FormErr(7)));
}

TEST_CASE("resolve: label length past the end of the message gets FORMERR", "[dns][resolve]") {
  std::string query = HeaderBytes(0x0007, kQueryFlags, 1) +
                      "\x20"
                      "api"s;
  CHECK(Hex(Ask(query).bytes) == Hex(FormErr(7)));
}

TEST_CASE("resolve: question cut before its class gets FORMERR", "[dns][resolve]") {
  std::string query = Query("api", kTypeA, 7);
  CHECK(Hex(Ask(query.substr(0, query.size() - 1)).bytes) == Hex(FormErr(7)));
}

}  // namespace
}  // namespace baton::dns
