#include "runtime/content/tar_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/sha256.h"
#include "base/tar_header.h"
#include "base/unique_fd.h"
#include "runtime/content/tree_digest.h"

namespace baton::content {
namespace {

TarHeader HeaderOf(const TreeEntry& entry, Owners owners, const std::string& prefix) {
  TarHeader h;
  h.path = prefix + entry.path;
  if (h.path.empty()) h.path = "./";  // the root folder of a copy: its mode and owner count
  h.link_target = entry.link_target;
  h.mode = entry.mode & 07777;
  bool keep = owners == Owners::kKeep;
  h.uid = keep ? entry.uid : 0;
  h.gid = keep ? entry.gid : 0;
  h.mtime = entry.mtime;
  h.size = EntrySize(entry);
  switch (entry.type) {
    case TreeEntry::Type::kDirectory: h.type = '5'; break;
    case TreeEntry::Type::kFile: h.type = '0'; break;
    case TreeEntry::Type::kSymlink: h.type = '2'; break;
  }
  return h;
}

std::string ChangedMessage(const std::string& what) {
  return what + " changed since the plan; run up again";
}

// Produces the archive block by block as it is read. Headers and padding
// wait in `pending_`; file content goes straight from the file (or the
// generated string) into the caller's buffer, through the content hash.
class TarStream final : public runtime::TarSource {
 public:
  TarStream(Tree tree, Owners owners, std::string prefix, std::string expected, uint64_t size)
      : tree_(std::move(tree)),
        owners_(owners),
        prefix_(std::move(prefix)),
        expected_(std::move(expected)),
        size_(size) {}

  Result<size_t> Read(std::span<char> buffer) override {
    size_t filled = 0;
    while (filled < buffer.size() && !done_) {
      if (pending_at_ < pending_.size()) {
        size_t n = std::min(buffer.size() - filled, pending_.size() - pending_at_);
        std::memcpy(buffer.data() + filled, pending_.data() + pending_at_, n);
        pending_at_ += n;
        filled += n;
      } else if (current_ != nullptr) {
        auto n = ReadContent(buffer.subspan(filled));
        if (!n.ok()) return n.error();
        filled += *n;
      } else if (Status s = Advance(); !s.ok()) {
        return s.error();
      }
    }
    return filled;
  }

  Status Verify() const override {
    if (!done_) return Error::Internal("", "tar stream verified before its end");
    if (actual_ == expected_) return Status::Ok();
    return Error::Conflict("", ChangedMessage(changed_.empty() ? RootLabel() : changed_));
  }

  uint64_t size() const override { return size_; }

 private:
  void SetPending(std::string bytes) {
    pending_ = std::move(bytes);
    pending_at_ = 0;
  }

  // Queues what comes after the current entry: the next header, the end
  // blocks, or nothing when all is sent.
  Status Advance() {
    if (next_ < tree_.entries.size()) return StartEntry(tree_.entries[next_++]);
    if (!ended_) {
      ended_ = true;
      actual_ = digest_.Finish();
      SetPending(TarEnd());
      return Status::Ok();
    }
    done_ = true;
    return Status::Ok();
  }

  Status StartEntry(const TreeEntry& entry) {
    SetPending(TarHeaderBlocks(HeaderOf(entry, owners_, prefix_)));
    if (entry.type != TreeEntry::Type::kFile) {
      digest_.Add(entry, owners_, "");
      return Status::Ok();
    }
    current_ = &entry;
    left_ = EntrySize(entry);
    sent_ = 0;
    content_hash_ = Sha256();
    if (!entry.generated) {
      fd_.Reset(open(entry.source.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
      if (!fd_) {
        if (errno == ENOENT || errno == ELOOP)
          return Error::Conflict("", ChangedMessage(entry.source.string()));
        return Error::Invalid("", "cannot read " + entry.source.string() + ": " +
                                      std::strerror(errno));
      }
    }
    if (left_ == 0) FinishEntry();
    return Status::Ok();
  }

  Result<size_t> ReadContent(std::span<char> out) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(left_, out.size()));
    size_t got = 0;
    if (current_->generated) {
      std::memcpy(out.data(), current_->generated->data() + sent_, want);
      got = want;
    } else {
      ssize_t n;
      do n = read(fd_.get(), out.data(), want);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        return Error::Invalid("", "cannot read " + current_->source.string() + ": " +
                                      std::strerror(errno));
      got = static_cast<size_t>(n);
      if (got == 0) {
        // The file shrank since the header promised its size: keep the archive
        // well formed with zeros; the digest no longer matches, so Verify fails.
        NoteChanged();
        std::memset(out.data(), 0, want);
        got = want;
      }
    }
    content_hash_.Update({out.data(), got});
    sent_ += got;
    left_ -= got;
    if (left_ == 0) FinishEntry();
    return got;
  }

  void FinishEntry() {
    digest_.Add(*current_, owners_, content_hash_.HexDigest());
    struct stat st;
    if (fd_ && fstat(fd_.get(), &st) == 0 &&
        (static_cast<uint64_t>(st.st_size) != current_->size || st.st_mtime != current_->mtime))
      NoteChanged();
    fd_.Reset();
    SetPending(TarPadding(EntrySize(*current_)));
    current_ = nullptr;
  }

  // Remembers the first file seen to differ from the tree, to name it.
  void NoteChanged() {
    if (changed_.empty()) changed_ = current_->source.string();
  }

  std::string RootLabel() const {
    if (tree_.entries.empty()) return prefix_.empty() ? "the content" : prefix_;
    const TreeEntry& first = tree_.entries.front();
    if (!first.source.empty()) return first.source.string();
    return prefix_ + first.path;
  }

  const Tree tree_;
  const Owners owners_;
  const std::string prefix_;
  const std::string expected_;
  const uint64_t size_;

  size_t next_ = 0;  // the next entry to start
  std::string pending_;
  size_t pending_at_ = 0;
  const TreeEntry* current_ = nullptr;  // the file whose content is being sent
  UniqueFd fd_;
  uint64_t left_ = 0, sent_ = 0;
  Sha256 content_hash_;
  TreeDigestBuilder digest_;
  bool ended_ = false, done_ = false;
  std::string actual_, changed_;
};

}  // namespace

Result<std::unique_ptr<runtime::TarSource>> OpenTarStream(Tree tree, Owners owners,
                                                          std::string prefix,
                                                          std::string expected_digest) {
  uint64_t size = TarEnd().size();
  for (const TreeEntry& entry : tree.entries) {
    uint64_t content = EntrySize(entry);
    size += TarHeaderBlocks(HeaderOf(entry, owners, prefix)).size() + content +
            TarPadding(content).size();
  }
  return std::unique_ptr<runtime::TarSource>(std::make_unique<TarStream>(
      std::move(tree), owners, std::move(prefix), std::move(expected_digest), size));
}

}  // namespace baton::content
