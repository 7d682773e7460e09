#pragma once
// A test-only ustar reader, independent of TarWriter, so tests can check the
// archives the lab builds field by field.

#include <cstdlib>
#include <string>
#include <vector>

namespace baton::testing {

struct TarEntry {
  std::string name;  // prefix + "/" + name when a prefix is set
  char type = 0;
  int mode = 0;
  std::string content;
  std::string link;
  bool checksum_ok = false;
  std::string magic;  // "ustar" for ustar headers
};

inline std::string TarField(const std::string& block, size_t at, size_t size) {
  std::string field = block.substr(at, size);
  return field.substr(0, field.find('\0'));
}

// Entries up to the first zero block. Stops early on a truncated archive.
inline std::vector<TarEntry> ReadTar(const std::string& archive) {
  std::vector<TarEntry> entries;
  for (size_t at = 0; at + 512 <= archive.size();) {
    std::string block = archive.substr(at, 512);
    if (block == std::string(512, '\0')) break;
    TarEntry e;
    std::string prefix = TarField(block, 345, 155);
    e.name = prefix.empty() ? TarField(block, 0, 100) : prefix + "/" + TarField(block, 0, 100);
    e.type = block[156];
    e.mode = static_cast<int>(std::strtol(TarField(block, 100, 8).c_str(), nullptr, 8));
    size_t size = std::strtoul(TarField(block, 124, 12).c_str(), nullptr, 8);
    e.link = TarField(block, 157, 100);
    e.magic = TarField(block, 257, 6);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; ++i)
      sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(block[i]);
    e.checksum_ok = std::strtoul(TarField(block, 148, 8).c_str(), nullptr, 8) == sum;
    if (at + 512 + size > archive.size()) break;
    e.content = archive.substr(at + 512, size);
    entries.push_back(e);
    at += 512 + (size + 511) / 512 * 512;
  }
  return entries;
}

}  // namespace baton::testing
