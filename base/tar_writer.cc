#include "base/tar_writer.h"

#include <array>
#include <cstdio>
#include <cstring>

namespace baton {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kNameSize = 100;
constexpr size_t kPrefixSize = 155;

// Field offsets in a ustar header.
constexpr size_t kName = 0, kMode = 100, kUid = 108, kGid = 116, kSize = 124, kMtime = 136,
                 kChecksum = 148, kType = 156, kLink = 157, kMagic = 257, kVersion = 263,
                 kUname = 265, kGname = 297, kPrefix = 345;

using Header = std::array<char, kBlock>;

void PutText(Header& h, size_t at, std::string_view text) {
  if (text.empty()) return;  // an empty view may hold a null pointer, which memcpy forbids
  std::memcpy(h.data() + at, text.data(), text.size());
}

// Octal number, zero-padded to width-1 digits and NUL-terminated.
void PutOctal(Header& h, size_t at, size_t width, unsigned long long value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(width - 1), value);
  std::memcpy(h.data() + at, buf, width);
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

}  // namespace

Status TarWriter::AddDirectory(std::string_view path, int mode) {
  std::string with_slash(path);
  if (with_slash.empty() || with_slash.back() != '/') with_slash += '/';
  return AddEntry(with_slash, '5', mode, {}, {});
}

Status TarWriter::AddFile(std::string_view path, std::string_view content, int mode) {
  return AddEntry(path, '0', mode, content, {});
}

Status TarWriter::AddSymlink(std::string_view path, std::string_view target) {
  return AddEntry(path, '2', 0777, {}, target);
}

Status TarWriter::AddEntry(std::string_view path, char type, int mode, std::string_view content,
                           std::string_view link_target) {
  std::string_view prefix, name;
  if (path.empty() || !SplitName(path, prefix, name))
    return Error::Invalid("", "tar: path too long for ustar: " + std::string(path));
  if (link_target.size() > kNameSize)
    return Error::Invalid("", "tar: link target too long for ustar: " + std::string(link_target));

  Header h{};
  PutText(h, kName, name);
  PutOctal(h, kMode, 8, static_cast<unsigned>(mode) & 07777);
  PutOctal(h, kUid, 8, 0);
  PutOctal(h, kGid, 8, 0);
  PutOctal(h, kSize, 12, content.size());
  PutOctal(h, kMtime, 12, 0);
  h[kType] = type;
  PutText(h, kLink, link_target);
  PutText(h, kMagic, std::string_view("ustar\0", 6));
  PutText(h, kVersion, "00");
  PutText(h, kUname, "root");
  PutText(h, kGname, "root");
  PutText(h, kPrefix, prefix);

  // The checksum is the byte sum of the header with its own field read as spaces.
  std::memset(h.data() + kChecksum, ' ', 8);
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06o", sum);
  std::memcpy(h.data() + kChecksum, buf, 7);  // six digits, NUL, then the space stays

  data_.append(h.data(), h.size());
  data_.append(content);
  data_.append((kBlock - content.size() % kBlock) % kBlock, '\0');
  return Status::Ok();
}

std::string TarWriter::Finish() const { return data_ + std::string(2 * kBlock, '\0'); }

}  // namespace baton
