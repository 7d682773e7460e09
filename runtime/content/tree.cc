#include "runtime/content/tree.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace baton::content {
namespace {

struct DirClose {
  void operator()(DIR* dir) const { closedir(dir); }
};
using DirPtr = std::unique_ptr<DIR, DirClose>;

Error Unreadable(const std::filesystem::path& path, int error) {
  return Error::Invalid("", "cannot read " + path.string() + ": " + std::strerror(error));
}

// The entry for `path` described by `st`, or nullopt for a special file
// (socket, fifo, device) that a tar of project files leaves out.
Result<std::optional<TreeEntry>> EntryOf(const std::filesystem::path& path, std::string relative,
                                         const struct stat& st) {
  TreeEntry entry;
  entry.path = std::move(relative);
  entry.mode = st.st_mode & 07777;
  entry.uid = st.st_uid;
  entry.gid = st.st_gid;
  entry.mtime = st.st_mtime;
  entry.source = path;
  if (S_ISDIR(st.st_mode)) {
    entry.type = TreeEntry::Type::kDirectory;
  } else if (S_ISREG(st.st_mode)) {
    entry.type = TreeEntry::Type::kFile;
    entry.size = static_cast<uint64_t>(st.st_size);
  } else if (S_ISLNK(st.st_mode)) {
    entry.type = TreeEntry::Type::kSymlink;
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    ssize_t n = readlink(path.c_str(), target.data(), target.size());
    if (n < 0) return Unreadable(path, errno);
    target.resize(static_cast<size_t>(n));
    entry.link_target = std::move(target);
  } else {
    return std::optional<TreeEntry>();
  }
  return std::optional<TreeEntry>(std::move(entry));
}

std::vector<std::string> SortedNames(DIR* dir) {
  std::vector<std::string> names;
  while (dirent* d = readdir(dir)) {
    std::string_view name = d->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

class TreeWalker {
 public:
  explicit TreeWalker(const IgnoreRules* ignore) : ignore_(ignore) {}

  // Adds what is inside folder `dir` (named `relative` in the tree).
  Status Walk(const std::filesystem::path& dir, const std::string& relative) {
    DirPtr handle(opendir(dir.c_str()));
    if (!handle) return Unreadable(dir, errno);
    for (const std::string& name : SortedNames(handle.get())) {
      std::filesystem::path path = dir / name;
      std::string child = relative.empty() ? name : relative + "/" + name;
      struct stat st;
      if (lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) continue;  // gone since readdir: as if never there
        return Unreadable(path, errno);
      }
      bool excluded = ignore_ && ignore_->Excludes(child);
      // Unless something below it may come back, an excluded folder is not entered.
      if (excluded && !(S_ISDIR(st.st_mode) && ignore_->MayReinclude(child))) continue;
      auto entry = EntryOf(path, child, st);
      if (!entry.ok()) return entry.error();
      if (!*entry) {
        tree_.skipped.push_back(child);
        continue;
      }
      bool is_dir = (*entry)->type == TreeEntry::Type::kDirectory;
      if (!excluded) tree_.entries.push_back(std::move(**entry));
      if (is_dir)
        if (Status s = Walk(path, child); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Tree Finish() && {
    auto by_path = [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; };
    std::sort(tree_.entries.begin(), tree_.entries.end(), by_path);
    std::sort(tree_.skipped.begin(), tree_.skipped.end());
    return std::move(tree_);
  }

  Tree& tree() { return tree_; }

 private:
  const IgnoreRules* ignore_;
  Tree tree_;
};

}  // namespace

uint64_t Tree::bytes() const {
  uint64_t sum = 0;
  for (const TreeEntry& e : entries)
    if (e.type == TreeEntry::Type::kFile) sum += e.generated ? e.generated->size() : e.size;
  return sum;
}

uint64_t Tree::files() const {
  return std::count_if(entries.begin(), entries.end(),
                       [](const TreeEntry& e) { return e.type == TreeEntry::Type::kFile; });
}

Result<Tree> ReadTree(const std::filesystem::path& root, const IgnoreRules* ignore) {
  // The root itself is followed, as Docker follows a bind source; nothing
  // below it is.
  struct stat st;
  if (stat(root.c_str(), &st) != 0) {
    if (errno == ENOENT) return Error::NotFound("", root.string() + " does not exist");
    return Unreadable(root, errno);
  }
  bool is_dir = S_ISDIR(st.st_mode);
  auto entry = EntryOf(root, is_dir ? "" : root.filename().string(), st);
  if (!entry.ok()) return entry.error();
  if (!*entry)
    return Error::Invalid("", root.string() + " is neither a file nor a folder");
  TreeWalker walker(ignore);
  walker.tree().entries.push_back(std::move(**entry));
  if (is_dir)
    if (Status s = walker.Walk(root, ""); !s.ok()) return s.error();
  return std::move(walker).Finish();
}

}  // namespace baton::content
