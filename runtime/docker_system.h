#pragma once
// What an engine says about itself: versions (for API negotiation) and the
// machine facts `baton hosts check` reports.

#include <compare>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace baton::runtime {

// A Docker API version such as 1.41.
struct ApiVersion {
  int major = 0;
  int minor = 0;

  // Reads "1.41"; nullopt for anything else.
  static std::optional<ApiVersion> Parse(std::string_view text);
  std::string ToString() const;
  auto operator<=>(const ApiVersion&) const = default;
};

// The oldest API baton speaks: Docker 20.10, the first with one-shot stats and
// the engine in Debian 12.
inline constexpr ApiVersion kOldestApi{1, 41};
// The newest API baton asks for. Engines newer than this serve it unchanged;
// 1.44 (Docker 25) is also the oldest that Docker 29 and later still accept.
inline constexpr ApiVersion kNewestApi{1, 44};

// GET /version.
struct VersionInfo {
  std::string version;          // engine release, "20.10.24"
  std::string api_version;      // newest API it serves, "1.41"
  std::string min_api_version;  // oldest API it serves, "1.12"
  std::string os;               // "linux"
  std::string arch;             // "amd64"
  std::string kernel_version;
  nlohmann::json raw;  // the whole answer
};

// The API version to use with an engine: the newest both sides speak. kInvalid
// (no `where`) when the engine is older than kOldestApi or accepts only APIs
// newer than kNewestApi, and when its version fields cannot be read.
Result<ApiVersion> NegotiateApiVersion(const VersionInfo& engine);

// GET /info: the figures `baton hosts check` shows.
struct SystemInfo {
  std::string name;              // the engine host's hostname
  std::string server_version;    // "20.10.24"
  std::string operating_system;  // "Debian GNU/Linux 12 (bookworm)"
  std::string os_type;           // "linux"
  std::string architecture;      // "x86_64"
  std::string kernel_version;
  std::int64_t cpus = 0;
  std::int64_t memory_bytes = 0;
  std::int64_t containers = 0;
  std::int64_t containers_running = 0;
  std::int64_t containers_paused = 0;
  std::int64_t containers_stopped = 0;
  std::int64_t images = 0;
  std::string docker_root_dir;
  nlohmann::json raw;
};

}  // namespace baton::runtime
