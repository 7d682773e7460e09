#include <catch2/catch.hpp>

#include <string>

#include "base/tar_header.h"
#include "tests/base/tar_reader.h"

namespace baton {
namespace {

using testing::ReadTar;

std::string Archive(const TarHeader& h, const std::string& content) {
  return TarHeaderBlocks(h) + content + TarPadding(content.size()) + TarEnd();
}

TEST_CASE("tar header: a short path is one ustar block with every field", "[base][tar]") {
  TarHeader h;
  h.path = "conf/app.ini";
  h.mode = 0640;
  h.uid = 1000;
  h.gid = 0;
  h.size = 3;
  h.mtime = 1700000000;
  CHECK(TarHeaderBlocks(h).size() == 512);
  auto entries = ReadTar(Archive(h, "a=1"));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == "conf/app.ini");
  CHECK(entries[0].mode == 0640);
  CHECK(entries[0].uid == 1000);
  CHECK(entries[0].uname.empty());
  CHECK(entries[0].gname == "root");
  CHECK(entries[0].mtime == 1700000000);
  CHECK(entries[0].content == "a=1");
  CHECK(entries[0].checksum_ok);
  CHECK_FALSE(entries[0].pax);
}

TEST_CASE("tar header: a 150-byte name without a slash gets a PAX path", "[base][tar]") {
  TarHeader h;
  h.path = std::string(150, 'n');
  h.size = 1;
  std::string blocks = TarHeaderBlocks(h);
  CHECK(blocks.size() == 3 * 512);  // 'x' header, its records, the ustar header
  auto entries = ReadTar(Archive(h, "x"));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].pax);
  CHECK(entries[0].name == std::string(150, 'n'));
  CHECK(entries[0].content == "x");
}

TEST_CASE("tar header: a long path that splits at a slash stays plain ustar", "[base][tar]") {
  TarHeader h;
  h.path = std::string(120, 'd') + "/" + std::string(90, 'f');
  CHECK(TarHeaderBlocks(h).size() == 512);
  auto entries = ReadTar(Archive(h, ""));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == h.path);
}

TEST_CASE("tar header: a long link target gets a PAX linkpath", "[base][tar]") {
  TarHeader h;
  h.path = "current";
  h.type = '2';
  h.link_target = std::string(130, 't');
  auto entries = ReadTar(Archive(h, ""));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].pax);
  CHECK(entries[0].type == '2');
  CHECK(entries[0].link == std::string(130, 't'));
}

TEST_CASE("tar header: a non-ASCII path gets a PAX path", "[base][tar]") {
  TarHeader h;
  h.path = "caf\xc3\xa9.txt";
  auto entries = ReadTar(Archive(h, ""));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].pax);
  CHECK(entries[0].name == "caf\xc3\xa9.txt");
}

TEST_CASE("tar header: 8 GiB and large owner ids go to PAX records", "[base][tar]") {
  TarHeader h;
  h.path = "big";
  h.size = 8ULL << 30;
  h.uid = 3000000;
  std::string blocks = TarHeaderBlocks(h);
  // Read the header alone: the reader takes sizes from the PAX record.
  auto pax = testing::ParsePax(blocks.substr(512, 512));
  CHECK(pax["size"] == "8589934592");
  CHECK(pax["uid"] == "3000000");
  CHECK(pax.count("path") == 0);
}

TEST_CASE("tar header: a PAX record length counts its own digits", "[base][tar]") {
  // " path=" + 91 bytes + "\n" is 98 bytes: two more digits make 100, which
  // has three, so the record is 101 bytes long.
  TarHeader h;
  h.path = std::string(89, 'p') + "\xc3\xa9";  // non-ASCII forces PAX
  std::string records = TarHeaderBlocks(h).substr(512, 512);
  CHECK(records.substr(0, 102) == "101 path=" + h.path + "\n" + std::string(1, '\0'));
}

TEST_CASE("tar header: folders get a trailing slash", "[base][tar]") {
  TarHeader h;
  h.path = "etc";
  h.type = '5';
  h.mode = 0755;
  auto entries = ReadTar(Archive(h, ""));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == "etc/");
  CHECK(entries[0].type == '5');
}

TEST_CASE("tar header: padding and end blocks", "[base][tar]") {
  CHECK(TarPadding(0).empty());
  CHECK(TarPadding(1) == std::string(511, '\0'));
  CHECK(TarPadding(512).empty());
  CHECK(TarPadding(513).size() == 511);
  CHECK(TarEnd() == std::string(1024, '\0'));
}

}  // namespace
}  // namespace baton
