#include "runtime/content/tree_digest.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "base/unique_fd.h"

namespace baton::content {
namespace {

char TypeLetter(TreeEntry::Type type) {
  switch (type) {
    case TreeEntry::Type::kDirectory: return 'd';
    case TreeEntry::Type::kFile: return 'f';
    case TreeEntry::Type::kSymlink: return 'l';
  }
  return '?';
}

// SHA-256 of a local file's bytes. The size is part of the digest, so a file
// that changed size since ReadTree is reported rather than digested.
Result<std::string> FileSha256(const TreeEntry& entry) {
  UniqueFd fd(open(entry.source.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd)
    return Error::Invalid("", "cannot read " + entry.source.string() + ": " +
                                  std::strerror(errno));
  Sha256 hash;
  std::vector<char> buffer(64 * 1024);
  uint64_t total = 0;
  while (true) {
    ssize_t n = read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return Error::Invalid("", "cannot read " + entry.source.string() + ": " +
                                    std::strerror(errno));
    if (n == 0) break;
    hash.Update({buffer.data(), static_cast<size_t>(n)});
    total += static_cast<uint64_t>(n);
  }
  if (total != entry.size)
    return Error::Conflict("", entry.source.string() + " changed while it was read");
  return hash.HexDigest();
}

}  // namespace

TreeDigestBuilder::TreeDigestBuilder() { hash_.Update("baton-tree-v1\n"); }

void TreeDigestBuilder::Add(const TreeEntry& entry, Owners owners, std::string_view content_hex) {
  char mode[16];
  std::snprintf(mode, sizeof mode, "%04o", entry.mode & 07777);
  bool root = owners == Owners::kRoot;
  std::string line;
  line += TypeLetter(entry.type);
  line += '\0';
  line += entry.path;
  line += '\0';
  line += mode;
  line += '\0';
  line += root ? "-" : std::to_string(entry.uid);
  line += '\0';
  line += root ? "-" : std::to_string(entry.gid);
  line += '\0';
  line += std::to_string(EntrySize(entry));
  line += '\0';
  if (entry.type == TreeEntry::Type::kFile) line += content_hex;
  if (entry.type == TreeEntry::Type::kSymlink) line += entry.link_target;
  line += '\0';
  line += '\n';
  hash_.Update(line);
}

std::string TreeDigestBuilder::Finish() { return hash_.HexDigest(); }

Result<std::string> TreeDigest(const Tree& tree, Owners owners) {
  TreeDigestBuilder builder;
  for (const TreeEntry& entry : tree.entries) {
    std::string content;
    if (entry.type == TreeEntry::Type::kFile) {
      if (entry.generated) {
        content = Sha256Hex(*entry.generated);
      } else {
        auto hex = FileSha256(entry);
        if (!hex.ok()) return hex.error();
        content = std::move(*hex);
      }
    }
    builder.Add(entry, owners, content);
  }
  return builder.Finish();
}

}  // namespace baton::content
