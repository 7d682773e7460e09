// ReadTarFiles over archives made by TarWriter, some patched by hand into
// PAX and GNU long-name forms, and broken ones.

#include "base/tar_reader.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "base/tar_writer.h"

namespace baton {
namespace {

using Files = std::map<std::string, std::string>;

// Sets the type of the header at `at` and recomputes its checksum.
void Retype(std::string& tar, size_t at, char type) {
  tar[at + 156] = type;
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i)
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(tar[at + i]);
  char field[8];
  std::snprintf(field, sizeof field, "%06o", sum);
  tar.replace(at + 148, 7, std::string(field, 6) + '\0');
}

TEST_CASE("tar reader: regular files come back by path, directories are skipped",
          "[base][tar]") {
  TarWriter writer;
  REQUIRE(writer.AddDirectory("baton", 0755).ok());
  REQUIRE(writer.AddFile("baton/desired.json", "{\"format\":1}", 0644).ok());
  REQUIRE(writer.AddFile("empty", "", 0644).ok());
  REQUIRE(writer.AddSymlink("link", "baton/desired.json").ok());
  Result<Files> files = ReadTarFiles(writer.Finish(), 1024);
  REQUIRE(files.ok());
  CHECK(*files == Files{{"baton/desired.json", "{\"format\":1}"}, {"empty", ""}});
}

TEST_CASE("tar reader: a pax path record names the file after it", "[base][tar]") {
  std::string long_name = std::string(120, 'a') + ".json";
  std::string record = "path=" + long_name + "\n";
  record = std::to_string(record.size() + 4) + " " + record;  // 3-digit length + space
  TarWriter writer;
  REQUIRE(writer.AddFile("PaxHeaders/x", record, 0644).ok());
  REQUIRE(writer.AddFile("short", "payload", 0644).ok());
  std::string tar = writer.Finish();
  Retype(tar, 0, 'x');
  Result<Files> files = ReadTarFiles(tar, 1024);
  REQUIRE(files.ok());
  CHECK(*files == Files{{long_name, "payload"}});
}

TEST_CASE("tar reader: a gnu long name names the file after it", "[base][tar]") {
  std::string long_name = "dir/" + std::string(150, 'b');
  TarWriter writer;
  REQUIRE(writer.AddFile("././@LongLink", long_name + '\0', 0644).ok());
  REQUIRE(writer.AddFile("short", "x", 0644).ok());
  std::string tar = writer.Finish();
  Retype(tar, 0, 'L');
  Result<Files> files = ReadTarFiles(tar, 1024);
  REQUIRE(files.ok());
  CHECK(*files == Files{{long_name, "x"}});
}

TEST_CASE("tar reader: files beyond the limit are refused", "[base][tar]") {
  TarWriter writer;
  REQUIRE(writer.AddFile("a", std::string(600, 'a'), 0644).ok());
  REQUIRE(writer.AddFile("b", std::string(600, 'b'), 0644).ok());
  Result<Files> files = ReadTarFiles(writer.Finish(), 1000);
  REQUIRE_FALSE(files.ok());
  CHECK(files.error().kind == Error::Kind::kInvalid);
  CHECK(files.error().ToString() == "tar: files exceed 1000 bytes");
}

TEST_CASE("tar reader: a damaged header is refused", "[base][tar]") {
  TarWriter writer;
  REQUIRE(writer.AddFile("a", "content", 0644).ok());
  std::string tar = writer.Finish();
  tar[0] = 'z';
  Result<Files> files = ReadTarFiles(tar, 1024);
  REQUIRE_FALSE(files.ok());
  CHECK(files.error().ToString() == "tar: bad header checksum");
}

TEST_CASE("tar reader: a truncated archive is refused", "[base][tar]") {
  TarWriter writer;
  REQUIRE(writer.AddFile("a", std::string(2000, 'x'), 0644).ok());
  std::string tar = writer.Finish();
  Result<Files> cut = ReadTarFiles(std::string_view(tar).substr(0, 1024), 1 << 20);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.error().ToString() == "tar: entry a runs past the end");
  Result<Files> no_end = ReadTarFiles(std::string_view(tar).substr(0, 512 + 2048), 1 << 20);
  REQUIRE_FALSE(no_end.ok());
  CHECK(no_end.error().ToString() == "tar: archive ends without its closing blocks");
  CHECK_FALSE(ReadTarFiles("", 10).ok());
}

}  // namespace
}  // namespace baton
