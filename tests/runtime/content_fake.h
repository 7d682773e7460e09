#pragma once
// Fakes of the local content the apply steps read (runtime/content_source.h):
// tar streams from fixed bytes, and a source that hands them out by digest
// or service.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "runtime/content_source.h"

namespace baton::runtime::testing {

// `data`, read in pieces of at most `piece` bytes; Verify() gives `verify`.
class FakeTar : public TarSource {
 public:
  explicit FakeTar(std::string data, Status verify = Status::Ok(), size_t piece = 1 << 20)
      : data_(std::move(data)), verify_(std::move(verify)), piece_(piece) {}
  Result<size_t> Read(std::span<char> buffer) override {
    size_t n = std::min({buffer.size(), data_.size() - offset_, piece_});
    std::copy_n(data_.data() + offset_, n, buffer.data());
    offset_ += n;
    return n;
  }
  Status Verify() const override {
    if (offset_ != data_.size()) return Error::Internal("", "verified before the end");
    return verify_;
  }
  uint64_t size() const override { return data_.size(); }

 private:
  std::string data_;
  Status verify_;
  size_t piece_;
  size_t offset_ = 0;
};

// Copies by digest and build contexts by service, each opened as a FakeTar.
struct FakeContent : ContentSource {
  std::map<std::string, std::string> copies;
  std::map<std::string, std::string> contexts;
  std::map<std::string, BuildRequest> requests;
  Status verify = Status::Ok();  // what every opened tar verifies as

  Result<std::unique_ptr<TarSource>> OpenCopy(const std::string& digest) const override {
    auto it = copies.find(digest);
    if (it == copies.end()) return Error::NotFound("", "no copy " + digest);
    return std::unique_ptr<TarSource>(std::make_unique<FakeTar>(it->second, verify));
  }
  Result<std::unique_ptr<TarSource>> OpenBuildContext(const std::string& service) const override {
    auto it = contexts.find(service);
    if (it == contexts.end()) return Error::NotFound("", "no context for " + service);
    return std::unique_ptr<TarSource>(std::make_unique<FakeTar>(it->second, verify));
  }
  Result<BuildRequest> BuildRequestOf(const std::string& service) const override {
    auto it = requests.find(service);
    if (it == requests.end()) return BuildRequest{};
    return it->second;
  }
  Result<std::string> SecretValue(const std::string& key) const override {
    return Error::NotFound("", "no secret " + key);
  }
};

}  // namespace baton::runtime::testing
