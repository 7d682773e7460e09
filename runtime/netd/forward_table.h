#pragma once
// The queries netd has relayed to an upstream resolver and not yet answered.
// Each gets a fresh random id on the upstream side (so replies cannot be
// matched by guessing a client's id); the reply's id is mapped back and the
// client's restored before it is relayed.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace baton::netd {

struct PendingForward {
  std::string query;    // the client's query as received (its id is the client's)
  uint64_t client = 0;  // the caller's handle for where the reply goes
  std::chrono::steady_clock::time_point deadline;
};

class ForwardTable {
 public:
  // At most `capacity` pending; `seed` feeds the id generator.
  ForwardTable(size_t capacity, uint32_t seed);

  // Records `pending` and returns the id to send upstream; nullopt when full.
  std::optional<uint16_t> Add(PendingForward pending);
  // The entry for an upstream reply's id, removed; nullopt when unknown
  // (late, duplicate or forged).
  std::optional<PendingForward> Take(uint16_t upstream_id);
  // Removes and returns the entries whose deadline is not after `now`.
  std::vector<PendingForward> TakeExpired(std::chrono::steady_clock::time_point now);
  size_t size() const { return pending_.size(); }

 private:
  size_t capacity_;
  std::mt19937 ids_;
  std::map<uint16_t, PendingForward> pending_;
};

// The message with its 16-bit id replaced; unchanged when shorter than a header.
std::string WithId(std::string message, uint16_t id);
// The message's id; 0 when it is shorter than two bytes.
uint16_t IdOf(std::string_view message);

}  // namespace baton::netd
