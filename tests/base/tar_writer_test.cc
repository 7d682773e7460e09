#include <catch2/catch.hpp>

#include <string>

#include "base/tar_writer.h"
#include "tests/base/tar_reader.h"

namespace baton {
namespace {

using testing::ReadTar;

TEST_CASE("tar: file entry carries name, mode, content and a valid checksum", "[lab][tar]") {
  TarWriter tar;
  REQUIRE(tar.AddFile("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0644).ok());
  auto entries = ReadTar(tar.Finish());
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == "etc/passwd");
  CHECK(entries[0].type == '0');
  CHECK(entries[0].mode == 0644);
  CHECK(entries[0].content == "root:x:0:0::/root:/bin/sh\n");
  CHECK(entries[0].magic == "ustar");
  CHECK(entries[0].checksum_ok);
}

TEST_CASE("tar: directory names end with a slash", "[lab][tar]") {
  TarWriter tar;
  REQUIRE(tar.AddDirectory("usr/bin", 0755).ok());
  auto entries = ReadTar(tar.Finish());
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == "usr/bin/");
  CHECK(entries[0].type == '5');
}

TEST_CASE("tar: symlink stores its target", "[lab][tar]") {
  TarWriter tar;
  REQUIRE(tar.AddSymlink("bin/sh", "/bin/busybox").ok());
  auto entries = ReadTar(tar.Finish());
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].type == '2');
  CHECK(entries[0].link == "/bin/busybox");
  CHECK(entries[0].content.empty());
}

TEST_CASE("tar: archive is whole blocks closed by two zero blocks", "[lab][tar]") {
  TarWriter tar;
  REQUIRE(tar.AddFile("a", std::string(513, 'x'), 0600).ok());
  std::string archive = tar.Finish();
  CHECK(archive.size() == 512 + 1024 + 1024);
  CHECK(archive.substr(archive.size() - 1024) == std::string(1024, '\0'));
}

TEST_CASE("tar: long path is split into prefix and name", "[lab][tar]") {
  std::string path = std::string(120, 'd') + "/" + std::string(90, 'f');
  TarWriter tar;
  REQUIRE(tar.AddFile(path, "x", 0644).ok());
  auto entries = ReadTar(tar.Finish());
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == path);
  CHECK(entries[0].checksum_ok);
}

TEST_CASE("tar: path that cannot be split is rejected", "[lab][tar]") {
  TarWriter tar;
  Status s = tar.AddFile(std::string(101, 'f'), "x", 0644);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "tar: path too long for ustar: " + std::string(101, 'f'));
  CHECK(ReadTar(tar.Finish()).empty());
}

TEST_CASE("tar: same entries give the same bytes", "[lab][tar]") {
  TarWriter a, b;
  REQUIRE(a.AddFile("x", "1", 0644).ok());
  REQUIRE(b.AddFile("x", "1", 0644).ok());
  CHECK(a.Finish() == b.Finish());
}

}  // namespace
}  // namespace baton
