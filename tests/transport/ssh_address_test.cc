#include "transport/ssh_address.h"

#include <catch2/catch.hpp>

namespace baton::transport {
namespace {

std::string ErrorOf(std::string_view text) {
  auto parsed = ParseSshAddress(text);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == Error::Kind::kInvalid);
  return parsed.error().ToString();
}

TEST_CASE("address: user, host and port are read", "[transport][address]") {
  auto parsed = ParseSshAddress("ssh://root@10.209.0.11:2222");
  REQUIRE(parsed.ok());
  CHECK(parsed->user == "root");
  CHECK(parsed->host == "10.209.0.11");
  CHECK(parsed->port == 2222);
}

TEST_CASE("address: user and port are optional", "[transport][address]") {
  auto parsed = ParseSshAddress("ssh://lab1.example.com");
  REQUIRE(parsed.ok());
  CHECK(*parsed == SshAddress{"", "lab1.example.com", 0});
  CHECK(parsed->ToString() == "ssh://lab1.example.com");
}

TEST_CASE("address: bracketed IPv6 with port", "[transport][address]") {
  auto parsed = ParseSshAddress("ssh://admin@[fd00::1]:22");
  REQUIRE(parsed.ok());
  CHECK(*parsed == SshAddress{"admin", "fd00::1", 22});
  CHECK(parsed->ToString() == "ssh://admin@[fd00::1]:22");
}

TEST_CASE("address: a single trailing slash is accepted", "[transport][address]") {
  auto parsed = ParseSshAddress("ssh://root@h1/");
  REQUIRE(parsed.ok());
  CHECK(parsed->ToString() == "ssh://root@h1");
}

TEST_CASE("address: missing scheme is refused", "[transport][address]") {
  CHECK(ErrorOf("10.0.0.1") == "expected ssh://[user@]host[:port], got \"10.0.0.1\"");
}

TEST_CASE("address: other schemes are refused", "[transport][address]") {
  CHECK(ErrorOf("tcp://10.0.0.1:2375") ==
        "unsupported scheme \"tcp\" (expected ssh://[user@]host[:port])");
}

TEST_CASE("address: port out of range", "[transport][address]") {
  CHECK(ErrorOf("ssh://h:99999") ==
        "invalid port \"99999\" in \"ssh://h:99999\" (expected 1-65535)");
}

TEST_CASE("address: empty port", "[transport][address]") {
  CHECK(ErrorOf("ssh://h:") == "invalid port \"\" in \"ssh://h:\" (expected 1-65535)");
}

TEST_CASE("address: missing host", "[transport][address]") {
  CHECK(ErrorOf("ssh://root@:22") == "missing host in \"ssh://root@:22\"");
}

TEST_CASE("address: shell syntax in a host name is refused", "[transport][address]") {
  CHECK(ErrorOf("ssh://h;reboot") == "invalid host name \"h;reboot\" in \"ssh://h;reboot\"");
}

TEST_CASE("address: a path is refused", "[transport][address]") {
  CHECK(ErrorOf("ssh://h/var/run") ==
        "unexpected path \"/var/run\" in \"ssh://h/var/run\" (expected ssh://[user@]host[:port])");
}

TEST_CASE("address: a password is refused without being echoed", "[transport][address]") {
  CHECK(ErrorOf("ssh://root:hunter2@h") ==
        "passwords in ssh addresses are not supported; use an identity file or ssh-agent");
}

TEST_CASE("address: empty user", "[transport][address]") {
  CHECK(ErrorOf("ssh://@h") == "empty user name in \"ssh://@h\"");
}

TEST_CASE("address: unterminated IPv6 bracket", "[transport][address]") {
  CHECK(ErrorOf("ssh://[fd00::1") == "missing ']' after IPv6 address in \"ssh://[fd00::1\"");
}

TEST_CASE("address: bracketed text that is not IPv6", "[transport][address]") {
  CHECK(ErrorOf("ssh://[lab1]") == "invalid IPv6 address in \"ssh://[lab1]\"");
}

}  // namespace
}  // namespace baton::transport
