#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "runtime/dns/resolve.h"
#include "tests/dns/resolve_fixture.h"

namespace baton::dns {
namespace {

using namespace testing;

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(BATON_SOURCE_DIR) + "/testdata/dns/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct Outcome {
  Verdict verdict;
  int answers;  // -1: no reply
  int rcode;
};

Outcome Run(const std::string& seed) {
  Reply reply = Resolve(ReadSeed(seed), kWebBack, ShopEndpoints(), {});
  if (reply.verdict != Verdict::kAnswer) return {reply.verdict, -1, -1};
  REQUIRE(reply.bytes.size() >= 12);
  return {reply.verdict, static_cast<uint8_t>(reply.bytes[7]), reply.bytes[3] & 0x0F};
}

// The fuzzer starts from these files, so each should reach the path it is named after.
TEST_CASE("seeds: each fuzzer seed reaches the path it is named after", "[dns][seeds]") {
  struct Case {
    const char* file;
    Verdict verdict;
    int answers;
    int rcode;
  };
  const Case cases[] = {
      {"api_a.bin", Verdict::kAnswer, 2, 0},
      {"tasks_api_a.bin", Verdict::kAnswer, 2, 0},
      {"api_aaaa.bin", Verdict::kAnswer, 0, 0},
      {"api_srv.bin", Verdict::kAnswer, 2, 0},
      {"api_a_edns.bin", Verdict::kAnswer, 2, 0},
      {"example_com_a.bin", Verdict::kForward, -1, -1},
      {"pointer_loop.bin", Verdict::kAnswer, 0, 1},
      {"status_opcode.bin", Verdict::kAnswer, 0, 4},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    Outcome got = Run(c.file);
    CHECK(got.verdict == c.verdict);
    CHECK(got.answers == c.answers);
    CHECK(got.rcode == c.rcode);
  }
}

}  // namespace
}  // namespace baton::dns
