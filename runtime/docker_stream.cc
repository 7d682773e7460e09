#include "runtime/docker_stream.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace baton::runtime {

Result<bool> StreamDemuxer::Feed(std::string_view data) {
  while (!data.empty()) {
    if (payload_left_ == 0) {
      std::size_t take = std::min(sizeof header_ - header_size_, data.size());
      std::copy_n(data.begin(), take, header_ + header_size_);
      header_size_ += take;
      data.remove_prefix(take);
      if (header_size_ < sizeof header_) break;
      header_size_ = 0;
      if (header_[0] > 2)
        return Error::Internal(
            "", "malformed output stream: unknown stream " + std::to_string(header_[0]));
      kind_ = static_cast<StreamKind>(header_[0]);
      payload_left_ = (std::uint32_t{header_[4]} << 24) | (std::uint32_t{header_[5]} << 16) |
                      (std::uint32_t{header_[6]} << 8) | std::uint32_t{header_[7]};
      continue;
    }
    std::size_t take = std::min<std::size_t>(payload_left_, data.size());
    payload_left_ -= static_cast<std::uint32_t>(take);
    if (!sink_(kind_, data.substr(0, take))) return false;
    data.remove_prefix(take);
  }
  return true;
}

Status StreamDemuxer::Finish() const {
  if (header_size_ == 0 && payload_left_ == 0) return Status::Ok();
  return Error::Internal("", "malformed output stream: it ends inside a frame");
}

Result<bool> JsonLineSplitter::Feed(std::string_view data) {
  while (!data.empty()) {
    std::size_t newline = data.find('\n');
    std::string_view piece = data.substr(0, newline);
    if (pending_.size() + piece.size() > kMaxLineBytes)
      return Error::Internal("", "malformed json stream: a document exceeds " +
                                     std::to_string(kMaxLineBytes >> 20) + " MiB");
    if (newline == std::string_view::npos) {
      pending_.append(piece);
      break;
    }
    data.remove_prefix(newline + 1);
    Result<bool> more = true;
    if (pending_.empty()) {
      more = ParseLine(piece);
    } else {
      pending_.append(piece);
      std::string line = std::move(pending_);
      pending_.clear();
      more = ParseLine(line);
    }
    if (!more.ok() || !*more) return more;
  }
  return true;
}

Result<bool> JsonLineSplitter::Finish() {
  std::string line = std::move(pending_);
  pending_.clear();
  return ParseLine(line);
}

Result<bool> JsonLineSplitter::ParseLine(std::string_view line) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return true;
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {
    return Error::Internal("", std::string("malformed json stream: ") + e.what());
  }
  return sink_(document);
}

}  // namespace baton::runtime
