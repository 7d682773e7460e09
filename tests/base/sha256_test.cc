#include <catch2/catch.hpp>

#include <string>

#include "base/sha256.h"

namespace baton {
namespace {

// Expected digests from coreutils' sha256sum.
TEST_CASE("sha256: empty input", "[lab][sha256]") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256: short message", "[lab][sha256]") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256: 55 bytes still pad into one block", "[lab][sha256]") {
  CHECK(Sha256Hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
}

TEST_CASE("sha256: 56 bytes pad into a second block", "[lab][sha256]") {
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("sha256: exactly one full block", "[lab][sha256]") {
  CHECK(Sha256Hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("sha256: a million bytes", "[lab][sha256]") {
  CHECK(Sha256Hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: streaming in uneven pieces equals one-shot", "[base][sha256]") {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 7);
  for (size_t piece : {1u, 3u, 63u, 64u, 65u, 200u}) {
    Sha256 hash;
    for (size_t at = 0; at < data.size(); at += piece) hash.Update(data.substr(at, piece));
    CHECK(hash.HexDigest() == Sha256Hex(data));
  }
}

TEST_CASE("sha256: digest bytes match the hex form", "[base][sha256]") {
  Sha256 hash;
  hash.Update("abc");
  CHECK(HexOf(hash.Digest()) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// RFC 4231 test cases 1-4, 6 and 7 (case 5 truncates the output).
TEST_CASE("hmac-sha256: RFC 4231 short keys", "[base][hmac]") {
  CHECK(HexOf(HmacSha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(HexOf(HmacSha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(HexOf(HmacSha256(std::string(20, '\xaa'), std::string(50, '\xdd'))) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  std::string key;
  for (char c = 1; c <= 25; ++c) key += c;
  CHECK(HexOf(HmacSha256(key, std::string(50, '\xcd'))) ==
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST_CASE("hmac-sha256: RFC 4231 keys longer than a block are hashed first", "[base][hmac]") {
  std::string key(131, '\xaa');
  CHECK(HexOf(HmacSha256(key, "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(HexOf(HmacSha256(key,
                         "This is a test using a larger than block-size key and a larger than "
                         "block-size data. The key needs to be hashed before being used by the "
                         "HMAC algorithm.")) ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

// The published PBKDF2-HMAC-SHA256 vectors (first 32 bytes of RFC 7914's
// "passwd" one; the others as in the widely used dkLen=32 table).
TEST_CASE("pbkdf2-sha256: published vectors", "[base][pbkdf2]") {
  CHECK(HexOf(Pbkdf2Sha256("password", "salt", 1)) ==
        "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
  CHECK(HexOf(Pbkdf2Sha256("password", "salt", 2)) ==
        "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
  CHECK(HexOf(Pbkdf2Sha256("password", "salt", 4096)) ==
        "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
  CHECK(HexOf(Pbkdf2Sha256("passwd", "salt", 1)) ==
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
  CHECK(HexOf(Pbkdf2Sha256("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt",
                           4096)) ==
        "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1");
}

TEST_CASE("pbkdf2-sha256: NUL bytes in password and salt count", "[base][pbkdf2]") {
  using namespace std::string_literals;
  CHECK(HexOf(Pbkdf2Sha256("pass\0word"s, "sa\0lt"s, 4096)) ==
        "89b69d0516f829893c696226650a86878c029ac13ee276509d5ae58b6466a724");
}

}  // namespace
}  // namespace baton
