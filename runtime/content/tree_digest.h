#pragma once
// The canonical tree digest, built one entry at a time, so that TreeDigest
// (which reads the files) and the tar stream (which digests what it sends)
// cannot disagree on the format. Internal to runtime/content.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/sha256.h"
#include "runtime/content/tree.h"

namespace baton::content {

class TreeDigestBuilder {
 public:
  TreeDigestBuilder();
  // Adds `entry` whose content (files) hashes to `content_hex`; for folders
  // and links `content_hex` is ignored. Entries go in tree order.
  void Add(const TreeEntry& entry, Owners owners, std::string_view content_hex);
  std::string Finish();  // hex SHA-256

 private:
  Sha256 hash_;
};

// The bytes a file entry stands for: its generated content, or nothing for
// a local file (read by the caller).
inline uint64_t EntrySize(const TreeEntry& entry) {
  if (entry.type != TreeEntry::Type::kFile) return 0;
  return entry.generated ? entry.generated->size() : entry.size;
}

}  // namespace baton::content
