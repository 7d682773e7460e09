#include "base/tar_header.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace baton {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kNameSize = 100;
constexpr size_t kPrefixSize = 155;
constexpr uint64_t kMaxOctal7 = 07777777;            // 8-byte fields
constexpr uint64_t kMaxOctal11 = 077777777777ULL;    // 12-byte fields: 8 GiB - 1

// Field offsets in a ustar header.
constexpr size_t kName = 0, kMode = 100, kUid = 108, kGid = 116, kSize = 124, kMtime = 136,
                 kChecksum = 148, kType = 156, kLink = 157, kMagic = 257, kVersion = 263,
                 kUname = 265, kGname = 297, kPrefix = 345;

using Block = std::array<char, kBlock>;

// Copies at most `width` bytes: a value that does not fit is carried by PAX.
void PutText(Block& b, size_t at, size_t width, std::string_view text) {
  text = text.substr(0, width);
  if (text.empty()) return;  // an empty view may hold a null pointer, which memcpy forbids
  std::memcpy(b.data() + at, text.data(), text.size());
}

// Octal number, zero-padded to width-1 digits and NUL-terminated.
void PutOctal(Block& b, size_t at, size_t width, unsigned long long value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(width - 1), value);
  std::memcpy(b.data() + at, buf, width);
}

// Splits `path` into ustar's prefix and name; false if it cannot fit.
bool SplitName(std::string_view path, std::string_view& prefix, std::string_view& name) {
  if (path.size() <= kNameSize) {
    prefix = {};
    name = path;
    return true;
  }
  for (size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    if (slash > kPrefixSize) return false;
    if (path.size() - slash - 1 <= kNameSize && slash + 1 < path.size()) {
      prefix = path.substr(0, slash);
      name = path.substr(slash + 1);
      return true;
    }
  }
  return false;
}

bool IsAscii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// "LEN key=value\n", where LEN counts the whole record including itself.
std::string PaxRecord(std::string_view key, std::string_view value) {
  size_t body = 1 + key.size() + 1 + value.size() + 1;  // " key=value\n"
  size_t length = body + 1;
  while (std::to_string(length).size() + body != length)
    length = std::to_string(length).size() + body;
  return std::to_string(length) + " " + std::string(key) + "=" + std::string(value) + "\n";
}

std::string Block512(const TarHeader& h, std::string_view prefix, std::string_view name,
                     uint64_t size, char type) {
  Block b{};
  PutText(b, kName, kNameSize, name);
  PutOctal(b, kMode, 8, h.mode & 07777);
  PutOctal(b, kUid, 8, h.uid > kMaxOctal7 ? 0 : h.uid);
  PutOctal(b, kGid, 8, h.gid > kMaxOctal7 ? 0 : h.gid);
  PutOctal(b, kSize, 12, size > kMaxOctal11 ? 0 : size);
  uint64_t mtime = h.mtime < 0 ? 0 : static_cast<uint64_t>(h.mtime);
  PutOctal(b, kMtime, 12, mtime > kMaxOctal11 ? 0 : mtime);
  b[kType] = type;
  PutText(b, kLink, kNameSize, h.link_target);
  PutText(b, kMagic, 6, std::string_view("ustar\0", 6));
  PutText(b, kVersion, 2, "00");
  if (h.uid == 0) PutText(b, kUname, 32, "root");
  if (h.gid == 0) PutText(b, kGname, 32, "root");
  PutText(b, kPrefix, kPrefixSize, prefix);

  // The checksum is the byte sum of the header with its own field read as spaces.
  std::memset(b.data() + kChecksum, ' ', 8);
  unsigned sum = 0;
  for (char c : b) sum += static_cast<unsigned char>(c);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06o", sum);
  std::memcpy(b.data() + kChecksum, buf, 7);  // six digits, NUL, then the space stays
  return std::string(b.data(), b.size());
}

// The PAX records `h` needs; empty when ustar holds everything.
std::string PaxRecords(const TarHeader& h, const std::string& path, bool path_fits) {
  std::string records;
  if (!path_fits || !IsAscii(path)) records += PaxRecord("path", path);
  if (h.link_target.size() > kNameSize || !IsAscii(h.link_target))
    records += PaxRecord("linkpath", h.link_target);
  if (h.size > kMaxOctal11) records += PaxRecord("size", std::to_string(h.size));
  if (h.uid > kMaxOctal7) records += PaxRecord("uid", std::to_string(h.uid));
  if (h.gid > kMaxOctal7) records += PaxRecord("gid", std::to_string(h.gid));
  if (h.mtime > static_cast<int64_t>(kMaxOctal11))
    records += PaxRecord("mtime", std::to_string(h.mtime));
  return records;
}

}  // namespace

std::string TarHeaderBlocks(const TarHeader& header) {
  std::string path = header.path;
  if (header.type == '5' && (path.empty() || path.back() != '/')) path += '/';
  std::string_view prefix, name;
  bool fits = SplitName(path, prefix, name);
  if (!fits) {
    prefix = {};
    name = std::string_view(path).substr(0, kNameSize);
  }
  std::string out;
  if (std::string records = PaxRecords(header, path, fits); !records.empty()) {
    TarHeader pax;
    pax.mode = 0644;
    pax.mtime = header.mtime;
    // The PAX header's own name is informative only; readers use the records.
    std::string pax_name = "PaxHeaders/" + path.substr(0, kNameSize - 11);
    out += Block512(pax, {}, pax_name, records.size(), 'x');
    out += records;
    out += TarPadding(records.size());
  }
  out += Block512(header, prefix, name, header.size, header.type);
  return out;
}

std::string TarPadding(uint64_t size) {
  return std::string((kBlock - size % kBlock) % kBlock, '\0');
}

std::string TarEnd() { return std::string(2 * kBlock, '\0'); }

}  // namespace baton
