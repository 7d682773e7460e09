#include "base/sha256.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace baton {
namespace {

constexpr std::array<uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void Compress(std::array<uint32_t, 8>& state, const unsigned char* block) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = uint32_t{block[4 * i]} << 24 | uint32_t{block[4 * i + 1]} << 16 |
           uint32_t{block[4 * i + 2]} << 8 | uint32_t{block[4 * i + 3]};
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; ++i) {
    uint32_t sum1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
    uint32_t t1 = h + sum1 + ((e & f) ^ (~e & g)) + kRound[i] + w[i];
    uint32_t t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  uint32_t add[8] = {a, b, c, d, e, f, g, h};
  for (int i = 0; i < 8; ++i) state[i] += add[i];
}

// HMAC's inner and outer hashes after absorbing the padded key. Sha256 is a
// value, so each HMAC starts from a copy: PBKDF2 then hashes the key blocks
// once, not twice per iteration.
struct HmacKeys {
  Sha256 inner, outer;
};

HmacKeys MakeHmacKeys(std::string_view key) {
  std::array<unsigned char, 64> block{};
  if (key.size() > block.size()) {
    Sha256 hash;
    hash.Update(key);
    std::array<uint8_t, 32> hashed = hash.Digest();
    for (size_t i = 0; i < hashed.size(); ++i) block[i] = hashed[i];
  } else {
    for (size_t i = 0; i < key.size(); ++i) block[i] = static_cast<unsigned char>(key[i]);
  }
  std::array<char, 64> inner, outer;
  for (size_t i = 0; i < block.size(); ++i) {
    inner[i] = static_cast<char>(block[i] ^ 0x36);
    outer[i] = static_cast<char>(block[i] ^ 0x5c);
  }
  HmacKeys keys;
  keys.inner.Update({inner.data(), inner.size()});
  keys.outer.Update({outer.data(), outer.size()});
  return keys;
}

std::string_view AsView(const std::array<uint8_t, 32>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::array<uint8_t, 32> Hmac(const HmacKeys& keys, std::string_view data) {
  Sha256 inner = keys.inner;
  inner.Update(data);
  std::array<uint8_t, 32> inner_digest = inner.Digest();
  Sha256 outer = keys.outer;
  outer.Update(AsView(inner_digest));
  return outer.Digest();
}

}  // namespace

Sha256::Sha256()
    : state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19} {}

void Sha256::Update(std::string_view data) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  size_t size = data.size();
  total_bytes_ += size;
  size_t at = 0;
  if (block_used_ > 0) {
    size_t take = std::min(size, block_.size() - block_used_);
    for (size_t i = 0; i < take; ++i) block_[block_used_ + i] = bytes[i];
    block_used_ += take;
    at = take;
    if (block_used_ < block_.size()) return;
    Compress(state_, block_.data());
    block_used_ = 0;
  }
  for (; at + 64 <= size; at += 64) Compress(state_, bytes + at);
  for (; at < size; ++at) block_[block_used_++] = bytes[at];
}

std::array<uint8_t, 32> Sha256::Digest() {
  // Padding: 0x80, zeros, then the message length in bits, big-endian.
  uint64_t bits = total_bytes_ * 8;
  block_[block_used_++] = 0x80;
  if (block_used_ > 56) {
    for (size_t i = block_used_; i < 64; ++i) block_[i] = 0;
    Compress(state_, block_.data());
    block_used_ = 0;
  }
  for (size_t i = block_used_; i < 56; ++i) block_[i] = 0;
  for (int i = 0; i < 8; ++i) block_[63 - i] = static_cast<unsigned char>(bits >> (8 * i));
  Compress(state_, block_.data());
  block_used_ = 0;

  std::array<uint8_t, 32> digest;
  for (int i = 0; i < 8; ++i)
    for (int b = 0; b < 4; ++b) digest[4 * i + b] = static_cast<uint8_t>(state_[i] >> (24 - 8 * b));
  return digest;
}

std::string Sha256::HexDigest() { return HexOf(Digest()); }

std::string HexOf(const std::array<uint8_t, 32>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (uint8_t b : bytes) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0xf];
  }
  return hex;
}

std::string Sha256Hex(std::string_view data) {
  Sha256 hash;
  hash.Update(data);
  return hash.HexDigest();
}

std::array<uint8_t, 32> HmacSha256(std::string_view key, std::string_view data) {
  return Hmac(MakeHmacKeys(key), data);
}

std::array<uint8_t, 32> Pbkdf2Sha256(std::string_view password, std::string_view salt,
                                     uint32_t iterations) {
  HmacKeys keys = MakeHmacKeys(password);
  // U1 = HMAC(P, S || INT(1)); the output block is U1 ^ U2 ^ ... ^ Uc.
  std::string first(salt);
  first.append("\0\0\0\1", 4);
  std::array<uint8_t, 32> u = Hmac(keys, first);
  std::array<uint8_t, 32> out = u;
  for (uint32_t i = 1; i < iterations; ++i) {
    u = Hmac(keys, AsView(u));
    for (size_t b = 0; b < out.size(); ++b) out[b] ^= u[b];
  }
  return out;
}

}  // namespace baton
