#include "runtime/netd/forward_table.h"

namespace baton::netd {

ForwardTable::ForwardTable(size_t capacity, uint32_t seed) : capacity_(capacity), ids_(seed) {}

std::optional<uint16_t> ForwardTable::Add(PendingForward pending) {
  if (pending_.size() >= capacity_ || pending_.size() >= 65536) return std::nullopt;
  uint16_t id;
  do {
    id = static_cast<uint16_t>(ids_());
  } while (pending_.count(id) != 0);
  pending_.emplace(id, std::move(pending));
  return id;
}

std::optional<PendingForward> ForwardTable::Take(uint16_t upstream_id) {
  auto it = pending_.find(upstream_id);
  if (it == pending_.end()) return std::nullopt;
  PendingForward pending = std::move(it->second);
  pending_.erase(it);
  return pending;
}

std::vector<PendingForward> ForwardTable::TakeExpired(std::chrono::steady_clock::time_point now) {
  std::vector<PendingForward> expired;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline <= now) {
      expired.push_back(std::move(it->second));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

std::string WithId(std::string message, uint16_t id) {
  if (message.size() < 12) return message;
  message[0] = static_cast<char>(id >> 8);
  message[1] = static_cast<char>(id & 0xff);
  return message;
}

uint16_t IdOf(std::string_view message) {
  if (message.size() < 2) return 0;
  return static_cast<uint16_t>((static_cast<uint8_t>(message[0]) << 8) |
                               static_cast<uint8_t>(message[1]));
}

}  // namespace baton::netd
