#include "runtime/dns/name.h"

#include <catch2/catch.hpp>
#include <string>

#include "tests/dns/dns_bytes.h"

namespace baton::dns {
namespace {

using namespace std::string_literals;
using testing::WireName;

std::string ReadError(const std::string& message, size_t offset) {
  auto name = ReadName(message, &offset);
  REQUIRE_FALSE(name.ok());
  CHECK(name.error().kind == Error::Kind::kInvalid);
  return name.error().ToString();
}

TEST_CASE("name: reads labels and moves past the name", "[dns][name]") {
  std::string message = "xx" + WireName("Api.Shop") + "yy";
  size_t offset = 2;
  auto name = ReadName(message, &offset);
  REQUIRE(name.ok());
  CHECK(*name == Labels{"Api", "Shop"});
  CHECK(offset == 12);
}

TEST_CASE("name: root name has no labels", "[dns][name]") {
  std::string message(1, '\0');
  size_t offset = 0;
  auto name = ReadName(message, &offset);
  REQUIRE(name.ok());
  CHECK(name->empty());
  CHECK(offset == 1);
}

TEST_CASE("name: follows a compression pointer and stops after it", "[dns][name]") {
  // "shop" at 0, then "api" + pointer to 0 at 6.
  std::string message = WireName("shop") +
                        "\x03"
                        "api"
                        "\xC0\x00z"s;
  size_t offset = 6;
  auto name = ReadName(message, &offset);
  REQUIRE(name.ok());
  CHECK(*name == Labels{"api", "shop"});
  CHECK(offset == 12);
}

TEST_CASE("name: pointer to itself is refused", "[dns][name]") {
  std::string message = std::string("\xC0\x00", 2);
  CHECK(ReadError(message, 0) == "offset 0: compression pointer does not point backwards");
}

TEST_CASE("name: pointer back into its own labels is refused", "[dns][name]") {
  // "a" at 0, pointer at 2 back to 0 would read "a" and the same pointer forever.
  std::string message = std::string(
      "\x01"
      "a"
      "\xC0\x00",
      4);
  CHECK(ReadError(message, 0) == "offset 2: compression pointer does not point backwards");
}

TEST_CASE("name: chain of pointers that comes back around is refused", "[dns][name]") {
  // at 0: "b" + pointer to 6; at 4: pointer to 0; reading from 4 goes 4 -> 0 -> 6 (forward).
  std::string message = std::string(
      "\x01"
      "b"
      "\xC0\x06"
      "\xC0\x00"
      "\x01"
      "c"
      "\x00",
      9);
  CHECK(ReadError(message, 4) == "offset 2: compression pointer does not point backwards");
}

TEST_CASE("name: pointer cut after its first byte is refused", "[dns][name]") {
  std::string message =
      "\x01"
      "a"
      "\xC0";
  CHECK(ReadError(message, 0) == "offset 2: name runs past the end of the message");
}

TEST_CASE("name: label past the end of the message is refused", "[dns][name]") {
  std::string message =
      "\x05"
      "abc";
  CHECK(ReadError(message, 0) == "offset 0: name runs past the end of the message");
}

TEST_CASE("name: missing root label is refused", "[dns][name]") {
  std::string message =
      "\x03"
      "abc";
  CHECK(ReadError(message, 0) == "offset 4: name runs past the end of the message");
}

TEST_CASE("name: label of 64 bytes is refused", "[dns][name]") {
  std::string message = "\x40" + std::string(64, 'a') + std::string(1, '\0');
  CHECK(ReadError(message, 0) == "offset 0: label longer than 63 bytes");
}

TEST_CASE("name: reserved label type 0x80 is refused", "[dns][name]") {
  std::string message = std::string("\x80\x00", 2);
  CHECK(ReadError(message, 0) == "offset 0: label longer than 63 bytes");
}

TEST_CASE("name: name of exactly 255 bytes is read", "[dns][name]") {
  // 3 labels of 63 and one of 61: 3*64 + 62 + 1 = 255.
  std::string l63(63, 'a');
  std::string message = WireName(l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b'));
  REQUIRE(message.size() == 255);
  size_t offset = 0;
  auto name = ReadName(message, &offset);
  REQUIRE(name.ok());
  CHECK(name->size() == 4);
}

TEST_CASE("name: name of 256 bytes is refused", "[dns][name]") {
  std::string l63(63, 'a');
  std::string message = WireName(l63 + "." + l63 + "." + l63 + "." + std::string(62, 'b'));
  REQUIRE(message.size() == 256);
  CHECK(ReadError(message, 0) == "offset 255: name longer than 255 bytes");
}

TEST_CASE("name: length limit counts labels reached through pointers", "[dns][name]") {
  std::string l63(63, 'a');
  std::string message = WireName(l63 + "." + l63 + "." + l63) + "\x3F" + l63 + "\xC0\x00"s;
  CHECK(ReadError(message, 193) == "offset 128: name longer than 255 bytes");
}

TEST_CASE("name: writes text names with or without the trailing dot", "[dns][name]") {
  std::string plain;
  std::string dotted;
  REQUIRE(AppendName("shop-api-1", &plain));
  REQUIRE(AppendName("shop-api-1.", &dotted));
  CHECK(plain == WireName("shop-api-1"));
  CHECK(dotted == plain);
}

TEST_CASE("name: invalid text names write nothing", "[dns][name]") {
  std::string out = "keep";
  CHECK_FALSE(AppendName("", &out));
  CHECK_FALSE(AppendName(".", &out));
  CHECK_FALSE(AppendName("a..b", &out));
  CHECK_FALSE(AppendName(std::string(64, 'a'), &out));
  CHECK_FALSE(AppendName(std::string(200, 'a') + "." + std::string(60, 'b'), &out));
  CHECK(out == "keep");
}

TEST_CASE("name: lower dotted text of labels", "[dns][name]") {
  CHECK(LowerDotted({"Tasks", "API"}) == std::optional<std::string>("tasks.api"));
  CHECK(LowerDotted({}) == std::optional<std::string>(""));
  CHECK(LowerDotted({"a.b"}) == std::nullopt);
}

}  // namespace
}  // namespace baton::dns
