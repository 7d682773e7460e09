#include "runtime/docker_json.h"

namespace baton::runtime::json_read {

const nlohmann::json* Field(const nlohmann::json& j, const char* key) {
  if (!j.is_object())
    throw ShapeError(std::string("expected an object holding \"") + key + "\", got " +
                     j.type_name());
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

const nlohmann::json& Object(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json* f = Field(j, key);
  if (f == nullptr) return kEmpty;
  if (!f->is_object())
    throw ShapeError(std::string("expected \"") + key + "\" to be an object, got " +
                     f->type_name());
  return *f;
}

std::string String(const nlohmann::json& j, const char* key) {
  const nlohmann::json* f = Field(j, key);
  return f == nullptr ? std::string() : f->get<std::string>();
}

std::int64_t Int(const nlohmann::json& j, const char* key) {
  const nlohmann::json* f = Field(j, key);
  return f == nullptr ? 0 : f->get<std::int64_t>();
}

std::uint64_t Unsigned(const nlohmann::json& j, const char* key) {
  const nlohmann::json* f = Field(j, key);
  return f == nullptr ? 0 : f->get<std::uint64_t>();
}

bool Bool(const nlohmann::json& j, const char* key) {
  const nlohmann::json* f = Field(j, key);
  return f != nullptr && f->get<bool>();
}

std::vector<std::string> Strings(const nlohmann::json& j, const char* key) {
  const nlohmann::json* f = Field(j, key);
  return f == nullptr ? std::vector<std::string>() : f->get<std::vector<std::string>>();
}

std::map<std::string, std::string> StringMap(const nlohmann::json& j, const char* key) {
  const nlohmann::json* f = Field(j, key);
  return f == nullptr ? std::map<std::string, std::string>()
                      : f->get<std::map<std::string, std::string>>();
}

namespace {

std::string StreamError(const nlohmann::json& j) {
  std::string message = String(Object(j, "errorDetail"), "message");
  return message.empty() ? String(j, "error") : message;
}

}  // namespace

bool ReadProgressDocument(const nlohmann::json& document, std::optional<Error>& failure,
                          const std::function<bool(const nlohmann::json&)>& next) {
  Result<std::string> error = DecodeDocument<std::string>(document, StreamError);
  if (!error.ok()) {
    failure = error.error();
    return false;
  }
  if (!error->empty()) {
    failure = Error::Internal("", *error);
    return false;
  }
  return next(document);
}

const nlohmann::json::array_t& Array(const nlohmann::json& j) {
  if (!j.is_array()) throw ShapeError(std::string("expected an array, got ") + j.type_name());
  return j.get_ref<const nlohmann::json::array_t&>();
}

}  // namespace baton::runtime::json_read
