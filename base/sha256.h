#pragma once
// SHA-256, HMAC-SHA-256 and PBKDF2-HMAC-SHA-256 (FIPS 180-4, RFC 2104,
// RFC 8018). Used for the lab's image archive digests, the content digests of
// build contexts and project files, and the slow salted fingerprints of
// secrets. No other crypto library is allowed in baton.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace baton {

// Streaming SHA-256: Update() any number of times, then Digest() or
// HexDigest() once. After that the object must not be used again.
class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  std::array<uint8_t, 32> Digest();
  std::string HexDigest();  // 64 lower-case hex digits

 private:
  std::array<uint32_t, 8> state_;
  std::array<unsigned char, 64> block_{};
  size_t block_used_ = 0;
  uint64_t total_bytes_ = 0;
};

// The SHA-256 of `data` as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view data);

// Lower-case hex of any bytes (a digest, a PBKDF2 output).
std::string HexOf(const std::array<uint8_t, 32>& bytes);

// HMAC-SHA-256 of `data` under `key` (any length; RFC 2104).
std::array<uint8_t, 32> HmacSha256(std::string_view key, std::string_view data);

// PBKDF2-HMAC-SHA-256 with a 32-byte output (one block, RFC 8018 5.2).
// `iterations` >= 1; 0 is treated as 1. Cost grows linearly with it: about
// 2 SHA-256 compressions of 64 bytes per iteration.
std::array<uint8_t, 32> Pbkdf2Sha256(std::string_view password, std::string_view salt,
                                     uint32_t iterations);

}  // namespace baton
