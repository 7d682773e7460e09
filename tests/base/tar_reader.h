#pragma once
// A test-only tar reader, independent of base/tar_header.cc, so tests can
// check the archives baton makes field by field: ustar headers, and the PAX
// 'x' records (path, linkpath, size, uid, gid, mtime) that apply to the next
// entry. Code that only needs the files uses base/tar_reader.h (included
// here too, so tests reach both).

#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "base/tar_reader.h"

namespace baton::testing {

struct TarEntry {
  std::string name;  // prefix + "/" + name when a prefix is set; PAX path wins
  char type = 0;
  int mode = 0;
  uint64_t uid = 0, gid = 0;
  int64_t mtime = 0;
  std::string uname, gname;
  std::string content;
  std::string link;
  bool checksum_ok = false;
  bool pax = false;   // a PAX 'x' header came first
  std::string magic;  // "ustar" for ustar headers
};

inline std::string TarField(const std::string& block, size_t at, size_t size) {
  std::string field = block.substr(at, size);
  return field.substr(0, field.find('\0'));
}

// "LEN key=value\n" records; stops at the first malformed one.
inline std::map<std::string, std::string> ParsePax(const std::string& data) {
  std::map<std::string, std::string> records;
  for (size_t at = 0; at < data.size();) {
    size_t space = data.find(' ', at);
    if (space == std::string::npos) break;
    size_t length = std::strtoul(data.substr(at, space - at).c_str(), nullptr, 10);
    if (length == 0 || at + length > data.size() || data[at + length - 1] != '\n') break;
    std::string record = data.substr(space + 1, at + length - space - 2);
    size_t equals = record.find('=');
    if (equals == std::string::npos) break;
    records[record.substr(0, equals)] = record.substr(equals + 1);
    at += length;
  }
  return records;
}

// Entries up to the first zero block. Stops early on a truncated archive.
inline std::vector<TarEntry> ReadTar(const std::string& archive) {
  std::vector<TarEntry> entries;
  std::map<std::string, std::string> pax;
  for (size_t at = 0; at + 512 <= archive.size();) {
    std::string block = archive.substr(at, 512);
    if (block == std::string(512, '\0')) break;
    TarEntry e;
    std::string prefix = TarField(block, 345, 155);
    e.name = prefix.empty() ? TarField(block, 0, 100) : prefix + "/" + TarField(block, 0, 100);
    e.type = block[156];
    e.mode = static_cast<int>(std::strtol(TarField(block, 100, 8).c_str(), nullptr, 8));
    e.uid = std::strtoull(TarField(block, 108, 8).c_str(), nullptr, 8);
    e.gid = std::strtoull(TarField(block, 116, 8).c_str(), nullptr, 8);
    e.mtime = std::strtoll(TarField(block, 136, 12).c_str(), nullptr, 8);
    size_t size = std::strtoull(TarField(block, 124, 12).c_str(), nullptr, 8);
    e.link = TarField(block, 157, 100);
    e.magic = TarField(block, 257, 6);
    e.uname = TarField(block, 265, 32);
    e.gname = TarField(block, 297, 32);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; ++i)
      sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(block[i]);
    e.checksum_ok = std::strtoul(TarField(block, 148, 8).c_str(), nullptr, 8) == sum;
    if (!pax.empty()) {
      e.pax = true;
      if (pax.count("path")) e.name = pax["path"];
      if (pax.count("linkpath")) e.link = pax["linkpath"];
      if (pax.count("size")) size = std::strtoull(pax["size"].c_str(), nullptr, 10);
      if (pax.count("uid")) e.uid = std::strtoull(pax["uid"].c_str(), nullptr, 10);
      if (pax.count("gid")) e.gid = std::strtoull(pax["gid"].c_str(), nullptr, 10);
      if (pax.count("mtime")) e.mtime = std::strtoll(pax["mtime"].c_str(), nullptr, 10);
      pax.clear();
    }
    if (at + 512 + size > archive.size()) break;
    std::string content = archive.substr(at + 512, size);
    at += 512 + (size + 511) / 512 * 512;
    if (e.type == 'x') {
      pax = ParsePax(content);
      continue;
    }
    e.content = std::move(content);
    entries.push_back(e);
  }
  return entries;
}

}  // namespace baton::testing
