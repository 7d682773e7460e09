#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/content/tar_stream.h"
#include "tests/base/tar_reader.h"
#include "tests/content/temp_dir.h"

namespace baton::content {
namespace {

using testing::ReadTar;
using testing::TempDir;

// Reads the whole stream `chunk` bytes at a time.
std::string ReadAll(runtime::TarSource& source, size_t chunk = 64 * 1024) {
  std::string out;
  std::vector<char> buffer(chunk);
  while (true) {
    auto n = source.Read(buffer);
    REQUIRE(n.ok());
    if (*n == 0) return out;
    out.append(buffer.data(), *n);
  }
}

std::unique_ptr<runtime::TarSource> Open(const Tree& tree, Owners owners,
                                         std::string prefix = "") {
  auto digest = TreeDigest(tree, owners);
  REQUIRE(digest.ok());
  auto stream = OpenTarStream(tree, owners, std::move(prefix), *digest);
  REQUIRE(stream.ok());
  return std::move(*stream);
}

Tree ReadOrFail(const std::filesystem::path& root) {
  auto tree = ReadTree(root);
  REQUIRE(tree.ok());
  return std::move(*tree);
}

// An independent ustar header, written from the POSIX field table.
std::string Octal(unsigned long long value, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llo", width - 1, value);
  return std::string(buf) + '\0';
}

std::string Ustar(const std::string& name, int mode, int uid, int gid, size_t size, long mtime,
                  char type, const std::string& link = "") {
  std::string b(512, '\0');
  b.replace(0, name.size(), name);
  b.replace(100, 8, Octal(mode, 8));
  b.replace(108, 8, Octal(uid, 8));
  b.replace(116, 8, Octal(gid, 8));
  b.replace(124, 12, Octal(size, 12));
  b.replace(136, 12, Octal(mtime, 12));
  b[156] = type;
  b.replace(157, link.size(), link);
  b.replace(257, 8, std::string("ustar\0" "00", 8));
  if (uid == 0) b.replace(265, 4, "root");
  if (gid == 0) b.replace(297, 4, "root");
  b.replace(148, 8, std::string(8, ' '));
  unsigned sum = 0;
  for (char c : b) sum += static_cast<unsigned char>(c);
  b.replace(148, 7, Octal(sum, 7));
  return b;
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

TEST_CASE("tar stream: a small tree gives exactly the expected bytes", "[content][tar]") {
  Tree tree;
  tree.entries.push_back(Generated("", TreeEntry::Type::kDirectory, 0755, ""));
  tree.entries.push_back(Generated("app.conf", TreeEntry::Type::kFile, 0644, "port=1"));
  tree.entries.push_back(Generated("current", TreeEntry::Type::kSymlink, 0777, "", "app.conf"));
  auto stream = Open(tree, Owners::kKeep);
  std::string expected = Ustar("./", 0755, 1000, 100, 0, 12345, '5') +
                         Ustar("app.conf", 0644, 1000, 100, 6, 12345, '0') + "port=1" +
                         std::string(506, '\0') +
                         Ustar("current", 0777, 1000, 100, 0, 12345, '2', "app.conf") +
                         std::string(1024, '\0');
  std::string archive = ReadAll(*stream);
  CHECK(archive == expected);
  CHECK(stream->size() == expected.size());
  CHECK(stream->Verify().ok());
}

TEST_CASE("tar stream: a folder reads back with prefix, root owners and links",
          "[content][tar]") {
  TempDir dir;
  dir.Write("src/main.c", "int main;\n", 0600);
  dir.Write("run.sh", "#!/bin/sh\n", 0755);
  REQUIRE(symlink("src/main.c", (dir.path() / "main").c_str()) == 0);
  dir.SetMtime("run.sh", 1600000000);
  auto stream = Open(ReadOrFail(dir.path()), Owners::kRoot, "ctx/");
  auto entries = ReadTar(ReadAll(*stream));
  REQUIRE(entries.size() == 5);
  CHECK(entries[0].name == "ctx/");
  CHECK(entries[1].name == "ctx/main");
  CHECK(entries[1].type == '2');
  CHECK(entries[1].link == "src/main.c");
  CHECK(entries[2].name == "ctx/run.sh");
  CHECK(entries[2].mode == 0755);
  CHECK(entries[2].mtime == 1600000000);
  CHECK(entries[2].content == "#!/bin/sh\n");
  CHECK(entries[3].name == "ctx/src/");
  CHECK(entries[4].name == "ctx/src/main.c");
  CHECK(entries[4].mode == 0600);
  CHECK(entries[4].content == "int main;\n");
  for (const auto& e : entries) {
    CHECK(e.uid == 0);
    CHECK(e.gid == 0);
    CHECK(e.checksum_ok);
  }
  CHECK(stream->Verify().ok());
}

TEST_CASE("tar stream: copies keep owners", "[content][tar]") {
  TempDir dir;
  dir.Write("a.txt", "a");
  auto entries = ReadTar(ReadAll(*Open(ReadOrFail(dir.path()), Owners::kKeep)));
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].uid == getuid());
  CHECK(entries[1].gid == getgid());
}

TEST_CASE("tar stream: tiny reads give the same bytes as large ones", "[content][tar]") {
  TempDir dir;
  std::string big;
  for (int i = 0; i < 100000; ++i) big += static_cast<char>('a' + i % 26);
  dir.Write("big.bin", big);
  dir.Write("small.txt", "s");
  Tree tree = ReadOrFail(dir.path());
  std::string whole = ReadAll(*Open(tree, Owners::kKeep));
  auto slow = Open(tree, Owners::kKeep);
  CHECK(ReadAll(*slow, 7) == whole);
  CHECK(slow->Verify().ok());
  auto entries = ReadTar(whole);
  REQUIRE(entries.size() == 3);
  CHECK(entries[1].content == big);
}

TEST_CASE("tar stream: a 150-byte name is sent with a PAX path", "[content][tar]") {
  TempDir dir;
  std::string name(150, 'n');
  dir.Write("deep/" + name, "long");
  auto stream = Open(ReadOrFail(dir.path()), Owners::kKeep);
  std::string archive = ReadAll(*stream);
  CHECK(archive.size() == stream->size());
  auto entries = ReadTar(archive);
  REQUIRE(entries.size() == 3);
  CHECK(entries[2].pax);
  CHECK(entries[2].name == "deep/" + name);
  CHECK(entries[2].content == "long");
}

TEST_CASE("tar stream: verify fails when a file changes mid-stream", "[content][tar]") {
  TempDir dir;
  dir.Write("a.txt", "first");
  std::filesystem::path b = dir.Write("b.txt", "second");
  auto stream = Open(ReadOrFail(dir.path()), Owners::kKeep);
  std::vector<char> header(512);
  REQUIRE(*stream->Read(header) == 512);  // the root folder only
  dir.Write("b.txt", "changed, and longer");
  std::string rest = ReadAll(*stream);
  CHECK(512 + rest.size() == stream->size());  // still a well-formed archive
  Status s = stream->Verify();
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kConflict);
  CHECK(s.error().ToString() == b.string() + " changed since the plan; run up again");
}

TEST_CASE("tar stream: a file that shrank is padded and fails verify", "[content][tar]") {
  TempDir dir;
  std::filesystem::path a = dir.Write("a.txt", "0123456789");
  auto stream = Open(ReadOrFail(dir.path()), Owners::kKeep);
  dir.Write("a.txt", "01");
  std::string archive = ReadAll(*stream);
  CHECK(archive.size() == stream->size());
  auto entries = ReadTar(archive);
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].content == std::string("01") + std::string(8, '\0'));
  Status s = stream->Verify();
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == a.string() + " changed since the plan; run up again");
}

TEST_CASE("tar stream: a file removed before it is sent fails the read", "[content][tar]") {
  TempDir dir;
  std::filesystem::path a = dir.Write("a.txt", "a");
  auto stream = Open(ReadOrFail(dir.path()), Owners::kKeep);
  std::filesystem::remove(a);
  std::vector<char> buffer(4096);
  auto n = stream->Read(buffer);
  REQUIRE_FALSE(n.ok());
  CHECK(n.error().kind == Error::Kind::kConflict);
  CHECK(n.error().ToString() == a.string() + " changed since the plan; run up again");
}

TEST_CASE("tar stream: a wrong expected digest fails verify naming the root",
          "[content][tar]") {
  TempDir dir;
  dir.Write("a.txt", "a");
  auto stream = OpenTarStream(ReadOrFail(dir.path()), Owners::kKeep, "", "0000");
  REQUIRE(stream.ok());
  ReadAll(**stream);
  Status s = (*stream)->Verify();
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == dir.path().string() + " changed since the plan; run up again");
}

}  // namespace
}  // namespace baton::content
