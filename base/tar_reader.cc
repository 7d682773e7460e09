// ReadTarFiles: a forward walk over 512-byte blocks. Each header is checked
// (checksum, bounds) before its size is trusted, so a hostile or truncated
// archive ends in kInvalid rather than a read past the end.

#include "base/tar_reader.h"

#include <cstdint>
#include <optional>

namespace baton {
namespace {

constexpr size_t kBlock = 512;

Error Malformed(const std::string& message) { return Error::Invalid("tar", message); }

std::string_view Field(std::string_view block, size_t at, size_t size) {
  std::string_view field = block.substr(at, size);
  return field.substr(0, field.find('\0'));
}

// An octal header field; nullopt when it holds anything else.
std::optional<uint64_t> Octal(std::string_view field) {
  uint64_t value = 0;
  bool digits = false;
  for (char c : field) {
    if (c == ' ') {
      if (digits) break;
      continue;
    }
    if (c < '0' || c > '7' || value > (UINT64_MAX >> 3)) return std::nullopt;
    value = value * 8 + static_cast<uint64_t>(c - '0');
    digits = true;
  }
  return value;
}

bool ChecksumOk(std::string_view block) {
  uint64_t sum = 0;
  for (size_t i = 0; i < kBlock; ++i)
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(block[i]);
  std::optional<uint64_t> stored = Octal(Field(block, 148, 8));
  return stored && *stored == sum;
}

// "LEN key=value\n" records; kInvalid on a malformed one.
Result<std::map<std::string, std::string>> PaxRecords(std::string_view data) {
  std::map<std::string, std::string> records;
  for (size_t at = 0; at < data.size();) {
    size_t space = data.find(' ', at);
    std::optional<uint64_t> length;
    if (space != std::string_view::npos) {
      length = uint64_t{0};
      for (char c : data.substr(at, space - at)) {
        if (c < '0' || c > '9' || *length > data.size()) return Malformed("malformed pax record");
        *length = *length * 10 + static_cast<uint64_t>(c - '0');
      }
    }
    if (!length || *length <= space - at || at + *length > data.size() ||
        data[at + *length - 1] != '\n')
      return Malformed("malformed pax record");
    std::string_view record = data.substr(space + 1, at + *length - space - 2);
    size_t equals = record.find('=');
    if (equals == std::string_view::npos) return Malformed("malformed pax record");
    records[std::string(record.substr(0, equals))] = std::string(record.substr(equals + 1));
    at += *length;
  }
  return records;
}

std::string CleanPath(std::string path) {
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  return path;
}

// What the next entry's header says, overridden by PAX or GNU records.
struct Pending {
  std::optional<std::string> path;
  std::optional<uint64_t> size;
};

struct Header {
  std::string path;
  char type = 0;
  uint64_t size = 0;
};

Result<Header> ReadHeader(std::string_view block, const Pending& pending) {
  if (!ChecksumOk(block)) return Malformed("bad header checksum");
  Header header;
  std::string_view prefix = Field(block, 345, 155);
  std::string_view name = Field(block, 0, 100);
  bool ustar = Field(block, 257, 5) == "ustar";
  header.path = ustar && !prefix.empty() ? std::string(prefix) + "/" + std::string(name)
                                         : std::string(name);
  header.type = block[156];
  std::optional<uint64_t> size = Octal(Field(block, 124, 12));
  if (!size) return Malformed("bad size in header of " + header.path);
  header.size = *size;
  if (pending.path) header.path = *pending.path;
  if (pending.size) header.size = *pending.size;
  return header;
}

// A GNU long name ('L') or PAX records ('x') for the entry that follows.
Status ReadExtension(char type, std::string_view content, Pending& pending) {
  if (type == 'L') {
    pending.path = std::string(content.substr(0, content.find('\0')));
    return Status::Ok();
  }
  Result<std::map<std::string, std::string>> pax = PaxRecords(content);
  if (!pax.ok()) return pax.error();
  if (auto path = pax->find("path"); path != pax->end()) pending.path = path->second;
  if (auto size = pax->find("size"); size != pax->end()) {
    uint64_t value = 0;
    for (char c : size->second) {
      if (c < '0' || c > '9' || value > (UINT64_MAX - 9) / 10) return Malformed("malformed pax size");
      value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (size->second.empty()) return Malformed("malformed pax size");
    pending.size = value;
  }
  return Status::Ok();
}

}  // namespace

Result<std::map<std::string, std::string>> ReadTarFiles(std::string_view tar, size_t max_bytes) {
  std::map<std::string, std::string> files;
  size_t total = 0;
  Pending pending;
  for (size_t at = 0; at + kBlock <= tar.size();) {
    std::string_view block = tar.substr(at, kBlock);
    if (block.find_first_not_of('\0') == std::string_view::npos) return files;
    Result<Header> header = ReadHeader(block, pending);
    if (!header.ok()) return header.error();
    if (header->size > tar.size() - at - kBlock)
      return Malformed("entry " + header->path + " runs past the end");
    std::string_view content = tar.substr(at + kBlock, header->size);
    at += kBlock + (header->size + kBlock - 1) / kBlock * kBlock;
    if (header->type == 'x' || header->type == 'L') {
      if (Status s = ReadExtension(header->type, content, pending); !s.ok()) return s.error();
      continue;
    }
    pending = Pending();
    if (header->type != '0' && header->type != '\0' && header->type != '7') continue;
    total += content.size();
    if (total > max_bytes)
      return Malformed("files exceed " + std::to_string(max_bytes) + " bytes");
    files[CleanPath(header->path)] = std::string(content);
  }
  return Malformed("archive ends without its closing blocks");
}

}  // namespace baton
