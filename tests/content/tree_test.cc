#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "runtime/content/tree.h"
#include "tests/content/temp_dir.h"

namespace baton::content {
namespace {

using testing::TempDir;

const std::filesystem::path kContext =
    std::filesystem::path(BATON_SOURCE_DIR) / "testdata/content/context";

std::vector<std::string> PathsOf(const Tree& tree) {
  std::vector<std::string> paths;
  for (const TreeEntry& e : tree.entries) paths.push_back(e.path);
  return paths;
}

const TreeEntry& EntryAt(const Tree& tree, const std::string& path) {
  for (const TreeEntry& e : tree.entries)
    if (e.path == path) return e;
  FAIL("no entry " << path);
  return tree.entries.front();
}

IgnoreRules Rules(std::string_view text) {
  auto rules = IgnoreRules::Parse(text, ".dockerignore");
  REQUIRE(rules.ok());
  return *rules;
}

TEST_CASE("tree: entries are sorted bytewise by path", "[content][tree]") {
  TempDir dir;
  dir.Write("a/b", "1");
  dir.Write("a-c", "2");
  dir.Write("B", "3");
  auto tree = ReadTree(dir.path());
  REQUIRE(tree.ok());
  CHECK(PathsOf(*tree) == std::vector<std::string>{"", "B", "a", "a-c", "a/b"});
}

TEST_CASE("tree: entries carry type, mode, owner, size and source", "[content][tree]") {
  TempDir dir;
  dir.Write("bin/run.sh", "#!/bin/sh\n", 0750);
  dir.Mkdir("bin", 0710);
  auto tree = ReadTree(dir.path());
  REQUIRE(tree.ok());
  const TreeEntry& file = EntryAt(*tree, "bin/run.sh");
  CHECK(file.type == TreeEntry::Type::kFile);
  CHECK(file.mode == 0750);
  CHECK(file.uid == getuid());
  CHECK(file.gid == getgid());
  CHECK(file.size == 10);
  CHECK(file.source == dir.path() / "bin/run.sh");
  CHECK(EntryAt(*tree, "bin").type == TreeEntry::Type::kDirectory);
  CHECK(EntryAt(*tree, "bin").mode == 0710);
  CHECK(tree->files() == 1);
  CHECK(tree->bytes() == 10);
}

TEST_CASE("tree: a symlink is kept as a link, not followed", "[content][tree]") {
  TempDir dir;
  dir.Write("real/data.txt", "data");
  REQUIRE(symlink("real", (dir.path() / "alias").c_str()) == 0);
  auto tree = ReadTree(dir.path());
  REQUIRE(tree.ok());
  CHECK(PathsOf(*tree) == std::vector<std::string>{"", "alias", "real", "real/data.txt"});
  const TreeEntry& link = EntryAt(*tree, "alias");
  CHECK(link.type == TreeEntry::Type::kSymlink);
  CHECK(link.link_target == "real");
  CHECK(link.size == 0);
}

TEST_CASE("tree: a fifo is skipped and listed", "[content][tree]") {
  TempDir dir;
  dir.Write("a.txt", "a");
  REQUIRE(mkfifo((dir.path() / "pipe").c_str(), 0600) == 0);
  auto tree = ReadTree(dir.path());
  REQUIRE(tree.ok());
  CHECK(PathsOf(*tree) == std::vector<std::string>{"", "a.txt"});
  CHECK(tree->skipped == std::vector<std::string>{"pipe"});
}

TEST_CASE("tree: an excluded folder is not entered without exceptions", "[content][tree]") {
  TempDir dir;
  dir.Write("keep.txt", "k");
  dir.Mkdir("cache");
  // A fifo inside shows whether the walk went in: it would be listed.
  REQUIRE(mkfifo((dir.path() / "cache/pipe").c_str(), 0600) == 0);
  IgnoreRules rules = Rules("cache\n");
  auto tree = ReadTree(dir.path(), &rules);
  REQUIRE(tree.ok());
  CHECK(PathsOf(*tree) == std::vector<std::string>{"", "keep.txt"});
  CHECK(tree->skipped.empty());
}

TEST_CASE("tree: the context fixture is filtered by its dockerignore", "[content][tree]") {
  IgnoreRules rules = Rules("**/*.o\nnode_modules\n");
  auto tree = ReadTree(kContext, &rules);
  REQUIRE(tree.ok());
  CHECK(PathsOf(*tree) == std::vector<std::string>{"", ".dockerignore", "Dockerfile", "docs",
                                                    "docs/README.md", "docs/guide.md", "src",
                                                    "src/main.c", "src/obj"});
}

TEST_CASE("tree: an excluded folder is walked when rules have exceptions", "[content][tree]") {
  auto text = "# build outputs\n**/*.o\nnode_modules\ndocs\n!docs/README.md\n";
  IgnoreRules rules = Rules(text);
  auto tree = ReadTree(kContext, &rules);
  REQUIRE(tree.ok());
  CHECK(PathsOf(*tree) == std::vector<std::string>{"", ".dockerignore", "Dockerfile",
                                                    "docs/README.md", "src", "src/main.c",
                                                    "src/obj"});
}

TEST_CASE("tree: a file root is a one-entry tree named after it", "[content][tree]") {
  TempDir dir;
  dir.Write("nginx/nginx.conf", "events {}\n", 0640);
  auto tree = ReadTree(dir.path() / "nginx/nginx.conf");
  REQUIRE(tree.ok());
  REQUIRE(tree->entries.size() == 1);
  CHECK(tree->entries[0].path == "nginx.conf");
  CHECK(tree->entries[0].mode == 0640);
  CHECK(tree->entries[0].size == 10);
}

TEST_CASE("tree: a missing root is not found, naming the path", "[content][tree]") {
  TempDir dir;
  auto tree = ReadTree(dir.path() / "nope");
  REQUIRE_FALSE(tree.ok());
  CHECK(tree.error().kind == Error::Kind::kNotFound);
  CHECK(tree.error().ToString() == (dir.path() / "nope").string() + " does not exist");
}

// --- digests ---

std::string DigestOf(const std::filesystem::path& root, Owners owners = Owners::kKeep) {
  auto tree = ReadTree(root);
  REQUIRE(tree.ok());
  auto digest = TreeDigest(*tree, owners);
  REQUIRE(digest.ok());
  return *digest;
}

TreeEntry Generated(std::string path, TreeEntry::Type type, uint32_t mode, std::string content,
                    std::string link = "") {
  TreeEntry e;
  e.path = std::move(path);
  e.type = type;
  e.mode = mode;
  e.uid = 1000;
  e.gid = 100;
  e.mtime = 12345;
  e.link_target = std::move(link);
  if (type == TreeEntry::Type::kFile) e.generated = std::move(content);
  return e;
}

Tree SmallGeneratedTree() {
  Tree tree;
  tree.entries.push_back(Generated("", TreeEntry::Type::kDirectory, 0755, ""));
  tree.entries.push_back(Generated("app.conf", TreeEntry::Type::kFile, 0644, "port=1"));
  tree.entries.push_back(Generated("current", TreeEntry::Type::kSymlink, 0777, "", "app.conf"));
  return tree;
}

// The expected values were computed from the format in tree.h by an
// independent script (Python hashlib), so the format cannot drift unnoticed.
TEST_CASE("digest: the canonical format is pinned", "[content][digest]") {
  Tree tree = SmallGeneratedTree();
  CHECK(*TreeDigest(tree, Owners::kRoot) ==
        "9efb24623670a84aedd5df544e9e482e853dfbfa8d0e67075956d4c02ab562db");
  CHECK(*TreeDigest(tree, Owners::kKeep) ==
        "a380743d0db14e7f4beb3d854280782bb81aabfd8e90d978407103c394ae7800");
}

TEST_CASE("digest: stable when only mtimes change", "[content][digest]") {
  TempDir dir;
  dir.Write("a.txt", "hello");
  dir.SetMtime("a.txt", 1000);
  std::string before = DigestOf(dir.path());
  dir.SetMtime("a.txt", 2000000);
  CHECK(DigestOf(dir.path()) == before);
}

TEST_CASE("digest: changes with content of the same size", "[content][digest]") {
  TempDir dir;
  dir.Write("a.txt", "hello");
  std::string before = DigestOf(dir.path());
  dir.Write("a.txt", "jello");
  CHECK(DigestOf(dir.path()) != before);
}

TEST_CASE("digest: changes with mode", "[content][digest]") {
  TempDir dir;
  dir.Write("a.sh", "echo", 0644);
  std::string before = DigestOf(dir.path());
  chmod((dir.path() / "a.sh").c_str(), 0755);
  CHECK(DigestOf(dir.path()) != before);
}

TEST_CASE("digest: owners count when kept, not when sent as root", "[content][digest]") {
  Tree tree = SmallGeneratedTree();
  std::string keep = *TreeDigest(tree, Owners::kKeep);
  std::string root = *TreeDigest(tree, Owners::kRoot);
  tree.entries[1].uid = 0;
  CHECK(*TreeDigest(tree, Owners::kKeep) != keep);
  CHECK(*TreeDigest(tree, Owners::kRoot) == root);
}

TEST_CASE("digest: changes with a new file", "[content][digest]") {
  TempDir dir;
  dir.Write("a.txt", "a");
  std::string before = DigestOf(dir.path());
  dir.Write("b.txt", "");
  CHECK(DigestOf(dir.path()) != before);
}

TEST_CASE("digest: changes when a file is renamed", "[content][digest]") {
  TempDir dir;
  dir.Write("a.txt", "a");
  std::string before = DigestOf(dir.path());
  std::filesystem::rename(dir.path() / "a.txt", dir.path() / "b.txt");
  CHECK(DigestOf(dir.path()) != before);
}

TEST_CASE("digest: does not depend on where the tree lives", "[content][digest]") {
  TempDir one, two;
  one.Write("x/a.txt", "same");
  two.Write("x/a.txt", "same");
  CHECK(DigestOf(one.path() / "x", Owners::kRoot) == DigestOf(two.path() / "x", Owners::kRoot));
}

TEST_CASE("digest: a generated entry equals the same file on disk", "[content][digest]") {
  TempDir dir;
  dir.Write("Dockerfile", "FROM x\n", 0644);
  auto tree = ReadTree(dir.path() / "Dockerfile");
  REQUIRE(tree.ok());
  std::string on_disk = *TreeDigest(*tree, Owners::kRoot);
  tree->entries[0].generated = "FROM x\n";
  tree->entries[0].source.clear();
  CHECK(*TreeDigest(*tree, Owners::kRoot) == on_disk);
}

TEST_CASE("digest: a file that changed size since the walk is a conflict", "[content][digest]") {
  TempDir dir;
  dir.Write("a.txt", "short");
  auto tree = ReadTree(dir.path());
  REQUIRE(tree.ok());
  dir.Write("a.txt", "much longer now");
  auto digest = TreeDigest(*tree, Owners::kKeep);
  REQUIRE_FALSE(digest.ok());
  CHECK(digest.error().kind == Error::Kind::kConflict);
  CHECK(digest.error().ToString() ==
        (dir.path() / "a.txt").string() + " changed while it was read");
}

}  // namespace
}  // namespace baton::content
