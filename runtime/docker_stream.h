#pragma once
// Decoders for the two streaming body formats of the Docker API. Pure: they
// are fed pieces of a body in whatever sizes the socket delivers them.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "base/result.h"

namespace baton::runtime {

enum class StreamKind { kStdin = 0, kStdout = 1, kStderr = 2 };

// Splits the multiplexed stream Docker sends for logs and exec output when the
// container has no TTY. Each frame is an 8-byte header (kind, three zero
// bytes, payload size as big-endian u32) followed by the payload. Payload
// bytes go to the sink as soon as they arrive, so one frame may reach it in
// several parts and a huge frame is never buffered whole.
class StreamDemuxer {
 public:
  // Returns false to stop decoding.
  using Sink = std::function<bool(StreamKind kind, std::string_view data)>;
  explicit StreamDemuxer(Sink sink) : sink_(std::move(sink)) {}

  // Decodes `data`. Returns false once the sink asked to stop (the rest is
  // ignored). kInternal, without a `where`, for a header naming no known stream.
  Result<bool> Feed(std::string_view data);
  // Ok when the stream ended between frames; kInternal when it was cut inside one.
  Status Finish() const;

 private:
  Sink sink_;
  unsigned char header_[8] = {};
  std::size_t header_size_ = 0;     // header bytes seen of the current frame
  std::uint32_t payload_left_ = 0;  // payload bytes still to come
  StreamKind kind_ = StreamKind::kStdout;
};

// Splits a stream of newline-terminated JSON documents (events, pull and load
// progress) and parses each one. A single document may be at most
// kMaxLineBytes long; blank lines are skipped.
class JsonLineSplitter {
 public:
  static constexpr std::size_t kMaxLineBytes = 1 << 20;
  // Returns false to stop decoding.
  using Sink = std::function<bool(const nlohmann::json& document)>;
  explicit JsonLineSplitter(Sink sink) : sink_(std::move(sink)) {}

  // Parses every line that `data` completes. Returns false once the sink asked
  // to stop. kInternal, without a `where`, for malformed or oversized JSON.
  Result<bool> Feed(std::string_view data);
  // Parses a last document that lacked its newline.
  Result<bool> Finish();

 private:
  Result<bool> ParseLine(std::string_view line);

  Sink sink_;
  std::string pending_;  // an incomplete line
};

}  // namespace baton::runtime
