#include "runtime/netd/json_fields.h"

#include <algorithm>

namespace baton::netd {

JsonFields::JsonFields(const nlohmann::json& object, std::string where, std::string path)
    : object_(object), where_(std::move(where)), path_(std::move(path)) {}

std::string JsonFields::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Error JsonFields::Invalid(std::string_view key, std::string_view message) const {
  return Error::Invalid(where_, PathOf(key) + ": " + std::string(message));
}

Status JsonFields::ExpectObject() const {
  if (object_.is_object()) return Status::Ok();
  if (path_.empty()) return Error::Invalid(where_, "expected a json object");
  return Error::Invalid(where_, path_ + ": expected an object");
}

Status JsonFields::RejectUnknown(std::initializer_list<std::string_view> known) const {
  for (const auto& item : object_.items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      return Invalid(item.key(), "unknown key");
    }
  }
  return Status::Ok();
}

Result<std::string> JsonFields::String(std::string_view key, std::string fallback,
                                       bool required) const {
  auto it = object_.find(key);
  if (it == object_.end()) {
    if (required) return Invalid(key, "missing");
    return fallback;
  }
  if (!it->is_string()) return Invalid(key, "expected a string");
  return it->get<std::string>();
}

Result<bool> JsonFields::Bool(std::string_view key, bool fallback) const {
  auto it = object_.find(key);
  if (it == object_.end()) return fallback;
  if (!it->is_boolean()) return Invalid(key, "expected true or false");
  return it->get<bool>();
}

Result<uint64_t> JsonFields::Unsigned(std::string_view key, uint64_t fallback, uint64_t min,
                                      uint64_t max) const {
  auto it = object_.find(key);
  if (it == object_.end()) return fallback;
  // Zero parses as unsigned too; negative numbers and fractions do not.
  if (!it->is_number_unsigned() || it->get<uint64_t>() < min || it->get<uint64_t>() > max) {
    return Invalid(key, "expected an integer " + std::to_string(min) + "-" + std::to_string(max));
  }
  return it->get<uint64_t>();
}

Result<nlohmann::json> JsonFields::Array(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end()) return nlohmann::json::array();
  if (!it->is_array()) return Invalid(key, "expected an array");
  return *it;
}

}  // namespace baton::netd
