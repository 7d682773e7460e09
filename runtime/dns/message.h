#pragma once
// DNS messages (RFC 1035 section 4): the header, the one question of a query,
// and responses with their size limit. Reading is strict and bounds-checked,
// since every byte comes from a container.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/dns/name.h"

namespace baton::dns {

constexpr size_t kHeaderSize = 12;
constexpr uint8_t kOpcodeQuery = 0;
constexpr uint16_t kClassIn = 1;
constexpr uint16_t kTypeA = 1;
constexpr uint16_t kTypeAaaa = 28;
constexpr uint16_t kTypeSrv = 33;
constexpr uint16_t kTypeOpt = 41;

enum class Rcode : uint8_t {
  kNoError = 0,
  kFormErr = 1,
  kServFail = 2,
  kNxDomain = 3,
  kNotImp = 4,
  kRefused = 5,
};

struct Header {
  uint16_t id = 0;
  bool qr = false;  // a response
  uint8_t opcode = 0;
  bool aa = false;  // authoritative answer
  bool tc = false;  // truncated
  bool rd = false;  // recursion desired
  bool ra = false;  // recursion available
  uint8_t rcode = 0;
  uint16_t qdcount = 0;
  uint16_t ancount = 0;
  uint16_t nscount = 0;
  uint16_t arcount = 0;
};

struct Question {
  Labels name;  // case kept, so replies echo it exactly
  uint16_t type = 0;
  uint16_t klass = 0;
};

// A resource record of class IN.
struct Record {
  std::string owner;  // the owner name in wire form, may be a compression pointer
  uint16_t type = 0;
  uint32_t ttl = 0;
  std::string rdata;
};

// The wire form of a pointer to the name of the question, which a response
// always places right after the header.
inline const std::string kQuestionNamePointer = std::string("\xC0\x0C", 2);

// Reads the fixed header; nullopt when the message is shorter than one.
std::optional<Header> ReadHeader(std::string_view message);

// Reads the question of a query whose header is `header` and checks that
// every record after it (answers, authority, additional: an EDNS OPT record,
// say) lies within the message; their contents are ignored, bytes after the
// last one too. kInvalid, where "offset N" or "" for a count, when there is
// not exactly one question or anything runs past the end of the message.
Result<Question> ReadQuestion(std::string_view message, const Header& header);

// The header of a reply to `query`: its id, opcode and RD echoed, QR and RA
// set (netd forwards what it does not answer), counts zero.
Header ReplyHeader(const Header& query, Rcode rcode);

struct Response {
  Header header;  // Serialize fills in the counts and may set TC
  std::optional<Question> question;
  std::vector<Record> answers;
  std::vector<Record> additionals;
};

// The response as at most `max_size` bytes, unless its header and question
// alone are longer. Answers are cut at the first that does not fit: the rest,
// and every additional record, are left out and TC is set. Additional records
// are only hints, so one that does not fit is left out without TC. Fails (an
// empty string) only when the question cannot be encoded, which ReadQuestion
// rules out.
std::string Serialize(const Response& response, size_t max_size);

// A reply to `query` with `rcode`, no question and no records: what a query
// that cannot be read or served gets.
std::string ErrorReply(const Header& query, Rcode rcode);

// SERVFAIL for `query` (a whole message as received), echoing its id, RD and
// question: what netd sends when no upstream resolver answers a forwarded
// query in time. "" when `query` is not a readable query (as Resolve would
// drop or refuse it), so there is nothing to answer.
std::string ServFail(std::string_view query);

}  // namespace baton::dns
