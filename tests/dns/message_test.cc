#include "runtime/dns/message.h"

#include <catch2/catch.hpp>
#include <string>

#include "tests/dns/dns_bytes.h"

namespace baton::dns {
namespace {

using namespace std::string_literals;
using testing::HeaderBytes;
using testing::Hex;
using testing::QuestionBytes;
using testing::U16;
using testing::U32;

std::string QuestionError(const std::string& message) {
  std::optional<Header> header = ReadHeader(message);
  REQUIRE(header);
  auto question = ReadQuestion(message, *header);
  REQUIRE_FALSE(question.ok());
  CHECK(question.error().kind == Error::Kind::kInvalid);
  return question.error().ToString();
}

// An EDNS0 OPT pseudo-record: root owner, type 41, UDP size 1232, no options.
const std::string kOpt = "\x00"s + U16(41) + U16(1232) + U32(0) + U16(0);

TEST_CASE("message: header fields are read", "[dns][message]") {
  std::optional<Header> h = ReadHeader(HeaderBytes(0xBEEF, 0x2D83, 1, 2, 3, 4));
  REQUIRE(h);
  CHECK(h->id == 0xBEEF);
  CHECK_FALSE(h->qr);
  CHECK(h->opcode == 5);
  CHECK(h->aa);
  CHECK_FALSE(h->tc);
  CHECK(h->rd);
  CHECK(h->ra);
  CHECK(h->rcode == 3);
  CHECK((h->qdcount == 1 && h->ancount == 2 && h->nscount == 3 && h->arcount == 4));
}

TEST_CASE("message: eleven bytes are no header", "[dns][message]") {
  CHECK_FALSE(ReadHeader(std::string(11, '\0')));
}

TEST_CASE("message: question is read with its case", "[dns][message]") {
  std::string query = HeaderBytes(1, 0x0100, 1) + QuestionBytes("Tasks.API", 33);
  auto question = ReadQuestion(query, *ReadHeader(query));
  REQUIRE(question.ok());
  CHECK(question->name == Labels{"Tasks", "API"});
  CHECK(question->type == 33);
  CHECK(question->klass == 1);
}

TEST_CASE("message: no question is refused", "[dns][message]") {
  CHECK(QuestionError(HeaderBytes(1, 0x0100, 0)) == "expected 1 question, got 0");
}

TEST_CASE("message: two questions are refused", "[dns][message]") {
  std::string query = HeaderBytes(1, 0x0100, 2) + QuestionBytes("a", 1) + QuestionBytes("b", 1);
  CHECK(QuestionError(query) == "expected 1 question, got 2");
}

TEST_CASE("message: question without its type and class is refused", "[dns][message]") {
  std::string query = HeaderBytes(1, 0x0100, 1) + testing::WireName("api") + "\x00\x01"s;
  CHECK(QuestionError(query) == "offset 17: question runs past the end of the message");
}

TEST_CASE("message: EDNS OPT record after the question is accepted", "[dns][message]") {
  std::string query = HeaderBytes(1, 0x0100, 1, 0, 0, 1) + QuestionBytes("api", 1) + kOpt;
  auto question = ReadQuestion(query, *ReadHeader(query));
  CHECK(question.ok());
}

TEST_CASE("message: additional record past the end is refused", "[dns][message]") {
  std::string query = HeaderBytes(1, 0x0100, 1, 0, 0, 1) + QuestionBytes("api", 1) +
                      kOpt.substr(0, kOpt.size() - 1);
  CHECK(QuestionError(query) == "offset 22: record runs past the end of the message");
}

TEST_CASE("message: record data longer than the message is refused", "[dns][message]") {
  std::string opt = "\x00"s + U16(41) + U16(1232) + U32(0) + U16(4) + "abc";
  std::string query = HeaderBytes(1, 0x0100, 1, 0, 0, 1) + QuestionBytes("api", 1) + opt;
  CHECK(QuestionError(query) == "offset 22: record runs past the end of the message");
}

TEST_CASE("message: a record count with no record behind it is refused", "[dns][message]") {
  std::string query = HeaderBytes(1, 0x0100, 1, 1, 0, 0) + QuestionBytes("api", 1);
  CHECK(QuestionError(query) == "offset 21: name runs past the end of the message");
}

TEST_CASE("message: additional record that does not fit is left out without TC", "[dns][message]") {
  Response response;
  response.header = ReplyHeader(*ReadHeader(HeaderBytes(7, 0x0100, 1)), Rcode::kNoError);
  response.question = Question{{"x"}, 1, 1};
  response.answers.push_back({kQuestionNamePointer, 1, 5, "\x0a\x00\x00\x01"s});
  response.additionals.push_back({"\x00"s, 1, 5, "\x0a\x00\x00\x02"s});
  std::string answer_only =
      HeaderBytes(7, 0x8180, 1, 1) + QuestionBytes("x", 1) + testing::ARecord(5, 0x0a000001);
  CHECK(Hex(Serialize(response, answer_only.size() + 14)) == Hex(answer_only));
}

TEST_CASE("message: error reply echoes id, opcode and RD only", "[dns][message]") {
  Header query = *ReadHeader(HeaderBytes(0x4242, 0x1100, 3, 1, 1, 1));
  CHECK(Hex(ErrorReply(query, Rcode::kNotImp)) == Hex(HeaderBytes(0x4242, 0x9184, 0)));
}

TEST_CASE("message: SERVFAIL echoes id and question", "[dns][message]") {
  std::string query =
      HeaderBytes(0x0A0B, 0x0100, 1, 0, 0, 1) + QuestionBytes("Example.COM", 1) + kOpt;
  std::string expected = HeaderBytes(0x0A0B, 0x8182, 1) + QuestionBytes("Example.COM", 1);
  CHECK(Hex(ServFail(query)) == Hex(expected));
}

TEST_CASE("message: SERVFAIL of something that is no query is empty", "[dns][message]") {
  CHECK(ServFail("") == "");
  CHECK(ServFail(HeaderBytes(1, 0x0100, 0)) == "");
  CHECK(ServFail(HeaderBytes(1, 0x8180, 1) + QuestionBytes("api", 1)) == "");
}

}  // namespace
}  // namespace baton::dns
