// Node tree -> JSON text through nlohmann-json. Its default object type is
// a sorted map, which gives the sorted keys serialize.h promises.

#include <cmath>

#include <nlohmann/json.hpp>

#include "compose/scalar.h"
#include "compose/serialize.h"

namespace baton::compose {

namespace {

// An unquoted scalar is typed: null, a boolean, an integer or a finite
// double, read by the same rules as the loader. Anything else (an infinity,
// a typed node with unusual text) stays a string rather than be lost.
nlohmann::json TypedScalar(const std::string& text) {
  if (IsNullText(text)) return nullptr;
  if (auto boolean = ParseBool(text)) return *boolean;
  if (auto integer = ParseInt(text)) return *integer;
  if (auto number = ParseDouble(text); number && std::isfinite(*number)) return *number;
  return text;
}

nlohmann::json ToJsonValue(const Node& node) {
  switch (node.kind()) {
    case Node::Kind::kNull:
      return nullptr;
    case Node::Kind::kScalar:
      return node.quoted() ? nlohmann::json(node.scalar()) : TypedScalar(node.scalar());
    case Node::Kind::kSequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const Node& item : node.items()) array.push_back(ToJsonValue(item));
      return array;
    }
    case Node::Kind::kMapping: {
      nlohmann::json object = nlohmann::json::object();
      for (const MapEntry& entry : node.entries()) object[entry.key] = ToJsonValue(entry.value);
      return object;
    }
  }
  return nullptr;
}

}  // namespace

std::string ToJson(const Node& node) {
  // The `replace` handler turns invalid UTF-8 into U+FFFD instead of throwing.
  return ToJsonValue(node).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace baton::compose
