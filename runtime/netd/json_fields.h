#pragma once
// Typed reads of JSON object members for netd's messages (its config and the
// peer announcements), each failure a kInvalid naming the member's path
// ("hosts[1].address: expected a string"). Never throws.

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/result.h"

namespace baton::netd {

class JsonFields {
 public:
  // `object` must outlive this reader; `path` names it ("" for the top level).
  JsonFields(const nlohmann::json& object, std::string where, std::string path);

  // The member's path: "hosts[1].address".
  std::string PathOf(std::string_view key) const;
  Error Invalid(std::string_view key, std::string_view message) const;

  // kInvalid when the object itself is not an object.
  Status ExpectObject() const;
  // kInvalid naming the first member not among `known`.
  Status RejectUnknown(std::initializer_list<std::string_view> known) const;
  // A missing member gives `fallback` (or kInvalid "missing" when required).
  Result<std::string> String(std::string_view key, std::string fallback = {},
                             bool required = false) const;
  Result<bool> Bool(std::string_view key, bool fallback) const;
  Result<uint64_t> Unsigned(std::string_view key, uint64_t fallback, uint64_t min,
                            uint64_t max) const;
  // The array member, or an empty array when missing; kInvalid when not an array.
  Result<nlohmann::json> Array(std::string_view key) const;

 private:
  const nlohmann::json& object_;
  std::string where_;
  std::string path_;
};

}  // namespace baton::netd
