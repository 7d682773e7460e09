#pragma once
// DNS messages built by hand for the dns tests, written apart from the code
// under test so that a shared mistake cannot hide.

#include <cstdint>
#include <string>
#include <string_view>

namespace baton::dns::testing {

inline std::string U16(uint16_t v) {
  return {static_cast<char>(v >> 8), static_cast<char>(v & 0xFF)};
}

inline std::string U32(uint32_t v) { return U16(static_cast<uint16_t>(v >> 16)) + U16(v & 0xFFFF); }

// "api.shop" -> "\3api\4shop\0", with no checks, so tests can build bad names too.
inline std::string WireName(std::string_view dotted) {
  std::string out;
  while (!dotted.empty()) {
    size_t dot = dotted.find('.');
    std::string_view label = dotted.substr(0, dot);
    out.push_back(static_cast<char>(label.size()));
    out.append(label);
    dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
  }
  out.push_back('\0');
  return out;
}

inline std::string HeaderBytes(uint16_t id, uint16_t flags, uint16_t qd, uint16_t an = 0,
                               uint16_t ns = 0, uint16_t ar = 0) {
  return U16(id) + U16(flags) + U16(qd) + U16(an) + U16(ns) + U16(ar);
}

constexpr uint16_t kQueryFlags = 0x0100;   // RD, as resolvers send
constexpr uint16_t kAnswerFlags = 0x8580;  // QR AA RD RA, NOERROR
constexpr uint16_t kTypeA = 1;
constexpr uint16_t kTypeSrv = 33;
constexpr uint16_t kTypeAaaa = 28;

// The question section: name, type, class IN.
inline std::string QuestionBytes(std::string_view name, uint16_t type) {
  return WireName(name) + U16(type) + U16(1);
}

inline std::string Query(std::string_view name, uint16_t type, uint16_t id = 0x1234) {
  return HeaderBytes(id, kQueryFlags, 1) + QuestionBytes(name, type);
}

// An A record whose owner points at the question name.
inline std::string ARecord(uint32_t ttl, uint32_t ipv4, std::string owner = "\xC0\x0C") {
  return owner + U16(1) + U16(1) + U32(ttl) + U16(4) + U32(ipv4);
}

// Bytes as "12 34 85 80 ...", so failures read well.
inline std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    if (!out.empty()) out.push_back(' ');
    out.push_back(kDigits[static_cast<uint8_t>(c) >> 4]);
    out.push_back(kDigits[static_cast<uint8_t>(c) & 0xF]);
  }
  return out;
}

}  // namespace baton::dns::testing
