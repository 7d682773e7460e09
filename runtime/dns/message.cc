#include "runtime/dns/message.h"

#include <cstdint>

namespace baton::dns {
namespace {

constexpr size_t kRecordFixedSize = 10;  // type, class, ttl, rdlength

uint16_t Read16(std::string_view bytes, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(bytes[at]) << 8) |
                               static_cast<uint8_t>(bytes[at + 1]));
}

void Append16(uint16_t value, std::string* out) {
  out->push_back(static_cast<char>(value >> 8));
  out->push_back(static_cast<char>(value & 0xFF));
}

void Append32(uint32_t value, std::string* out) {
  Append16(static_cast<uint16_t>(value >> 16), out);
  Append16(static_cast<uint16_t>(value & 0xFFFF), out);
}

std::string HeaderBytes(const Header& h) {
  std::string out;
  Append16(h.id, &out);
  out.push_back(static_cast<char>((h.qr ? 0x80 : 0) | ((h.opcode & 0x0F) << 3) | (h.aa ? 0x04 : 0) |
                                  (h.tc ? 0x02 : 0) | (h.rd ? 0x01 : 0)));
  out.push_back(static_cast<char>((h.ra ? 0x80 : 0) | (h.rcode & 0x0F)));
  Append16(h.qdcount, &out);
  Append16(h.ancount, &out);
  Append16(h.nscount, &out);
  Append16(h.arcount, &out);
  return out;
}

void AppendRecord(const Record& record, std::string* out) {
  out->append(record.owner);
  Append16(record.type, out);
  Append16(kClassIn, out);
  Append32(record.ttl, out);
  Append16(static_cast<uint16_t>(record.rdata.size()), out);
  out->append(record.rdata);
}

size_t RecordSize(const Record& record) {
  return record.owner.size() + kRecordFixedSize + record.rdata.size();
}

// Checks that the record at `*offset` lies within the message and moves past it.
Status SkipRecord(std::string_view message, size_t* offset) {
  if (auto owner = ReadName(message, offset); !owner.ok()) return owner.error();
  size_t at = *offset;
  if (message.size() - at < kRecordFixedSize ||
      message.size() - at - kRecordFixedSize < Read16(message, at + 8)) {
    return Error::Invalid("offset " + std::to_string(at),
                          "record runs past the end of the message");
  }
  *offset = at + kRecordFixedSize + Read16(message, at + 8);
  return Status::Ok();
}

}  // namespace

std::optional<Header> ReadHeader(std::string_view message) {
  if (message.size() < kHeaderSize) return std::nullopt;
  Header h;
  h.id = Read16(message, 0);
  uint8_t flags = static_cast<uint8_t>(message[2]);
  uint8_t flags2 = static_cast<uint8_t>(message[3]);
  h.qr = flags & 0x80;
  h.opcode = (flags >> 3) & 0x0F;
  h.aa = flags & 0x04;
  h.tc = flags & 0x02;
  h.rd = flags & 0x01;
  h.ra = flags2 & 0x80;
  h.rcode = flags2 & 0x0F;
  h.qdcount = Read16(message, 4);
  h.ancount = Read16(message, 6);
  h.nscount = Read16(message, 8);
  h.arcount = Read16(message, 10);
  return h;
}

Result<Question> ReadQuestion(std::string_view message, const Header& header) {
  if (header.qdcount != 1) {
    return Error::Invalid("", "expected 1 question, got " + std::to_string(header.qdcount));
  }
  size_t offset = kHeaderSize;
  auto name = ReadName(message, &offset);
  if (!name.ok()) return std::move(name).error();
  if (message.size() - offset < 4) {
    return Error::Invalid("offset " + std::to_string(offset),
                          "question runs past the end of the message");
  }
  Question question{std::move(*name), Read16(message, offset), Read16(message, offset + 2)};
  offset += 4;
  int records = header.ancount + header.nscount + header.arcount;
  for (int i = 0; i < records; ++i) {
    if (Status s = SkipRecord(message, &offset); !s.ok()) return std::move(s).error();
  }
  return question;
}

Header ReplyHeader(const Header& query, Rcode rcode) {
  Header h;
  h.id = query.id;
  h.qr = true;
  h.opcode = query.opcode;
  h.rd = query.rd;
  h.ra = true;
  h.rcode = static_cast<uint8_t>(rcode);
  return h;
}

std::string Serialize(const Response& response, size_t max_size) {
  Header header = response.header;
  std::string body;
  if (response.question) {
    if (!AppendLabels(response.question->name, &body)) return "";
    Append16(response.question->type, &body);
    Append16(response.question->klass, &body);
    header.qdcount = 1;
  }
  size_t size = kHeaderSize + body.size();
  for (const Record& record : response.answers) {
    if (size + RecordSize(record) > max_size) {
      header.tc = true;
      break;
    }
    AppendRecord(record, &body);
    size += RecordSize(record);
    ++header.ancount;
  }
  for (const Record& record : response.additionals) {
    if (header.tc) break;
    if (size + RecordSize(record) > max_size) continue;
    AppendRecord(record, &body);
    size += RecordSize(record);
    ++header.arcount;
  }
  return HeaderBytes(header) + body;
}

std::string ErrorReply(const Header& query, Rcode rcode) {
  return HeaderBytes(ReplyHeader(query, rcode));
}

std::string ServFail(std::string_view query) {
  std::optional<Header> header = ReadHeader(query);
  if (!header || header->qr) return "";
  auto question = ReadQuestion(query, *header);
  if (!question.ok()) return "";
  Response response;
  response.header = ReplyHeader(*header, Rcode::kServFail);
  response.question = std::move(*question);
  return Serialize(response, SIZE_MAX);
}

}  // namespace baton::dns
