#include "runtime/dns/name.h"

#include <cstdint>

namespace baton::dns {
namespace {

constexpr uint8_t kPointerBits = 0xC0;

Error At(size_t offset, std::string message) {
  return Error::Invalid("offset " + std::to_string(offset), std::move(message));
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Splits text on dots, dropping one trailing dot; nullopt on an empty label.
std::optional<Labels> SplitName(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return std::nullopt;
  Labels labels;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view label = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty()) return std::nullopt;
    labels.emplace_back(label);
    if (dot == std::string_view::npos) return labels;
    start = dot + 1;
  }
}

}  // namespace

Result<Labels> ReadName(std::string_view message, size_t* offset) {
  Labels labels;
  size_t pos = *offset;
  size_t run_start = pos;  // where the labels being read began: pointers must go before it
  size_t end = 0;          // just past the name's own bytes, once a pointer was followed
  size_t wire_length = 0;
  while (true) {
    if (pos >= message.size()) return At(pos, "name runs past the end of the message");
    uint8_t length = static_cast<uint8_t>(message[pos]);
    if ((length & kPointerBits) == kPointerBits) {
      if (pos + 1 >= message.size()) return At(pos, "name runs past the end of the message");
      size_t target = (size_t{length & 0x3Fu} << 8) | static_cast<uint8_t>(message[pos + 1]);
      if (target >= run_start) return At(pos, "compression pointer does not point backwards");
      if (end == 0) end = pos + 2;
      pos = run_start = target;
      continue;
    }
    // 0x40-0xBF are the obsolete extended and reserved label types.
    if (length > kMaxLabelLength) return At(pos, "label longer than 63 bytes");
    wire_length += length + 1;
    if (wire_length > kMaxNameLength) return At(pos, "name longer than 255 bytes");
    if (length == 0) break;
    if (message.size() - pos - 1 < length) return At(pos, "name runs past the end of the message");
    labels.emplace_back(message.substr(pos + 1, length));
    pos += 1 + length;
  }
  *offset = end != 0 ? end : pos + 1;
  return labels;
}

bool AppendLabels(const Labels& labels, std::string* out) {
  size_t wire_length = 1;
  for (const std::string& label : labels) {
    if (label.empty() || label.size() > kMaxLabelLength) return false;
    wire_length += label.size() + 1;
  }
  if (wire_length > kMaxNameLength) return false;
  for (const std::string& label : labels) {
    out->push_back(static_cast<char>(label.size()));
    out->append(label);
  }
  out->push_back('\0');
  return true;
}

bool AppendName(std::string_view name, std::string* out) {
  std::optional<Labels> labels = SplitName(name);
  return labels && AppendLabels(*labels, out);
}

std::optional<std::string> LowerDotted(const Labels& labels) {
  std::string text;
  for (const std::string& label : labels) {
    if (label.find('.') != std::string::npos) return std::nullopt;
    if (!text.empty()) text.push_back('.');
    for (char c : label) text.push_back(Lower(c));
  }
  return text;
}

}  // namespace baton::dns
