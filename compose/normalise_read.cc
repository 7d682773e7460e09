#include "compose/normalise_read.h"

#include "compose/scalar.h"

namespace baton::compose::normalise {
namespace {

std::string WithArticle(const Node& node) {
  if (node.IsNull()) return "null";
  std::string_view kind = node.KindName();
  return "a " + std::string(kind);
}

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

// The text of a scalar, or the located shape error.
Result<std::string> ScalarText(const Node& node, const ModelPath& at, std::string_view expected) {
  if (!node.IsScalar()) return ShapeError(node, at, expected);
  return node.scalar();
}

// Parses a scalar with `parse`; text it refuses is "invalid <what> \"text\"".
template <typename T, typename Parse>
Result<T> ReadParsed(const Node& node, const ModelPath& at, std::string_view what, Parse parse) {
  Result<std::string> text = ScalarText(node, at, what);
  if (!text.ok()) return std::move(text).error();
  std::optional<T> value = parse(*text);
  if (!value) return Error::Invalid(Where(node, at), "invalid " + std::string(what) + " " +
                                                         Quote(*text));
  return *value;
}

// A mapping of scalars read as strings; a null value reads as `null_value`.
template <typename Map>
Result<Map> ReadScalarMap(const Node& node, const ModelPath& at,
                          const typename Map::mapped_type& null_value) {
  if (Status s = RequireMapping(node, at); !s.ok()) return std::move(s).error();
  Map out;
  for (const MapEntry& e : node.entries()) {
    if (e.value.IsNull()) {
      out[e.key] = null_value;
      continue;
    }
    Result<std::string> value = ReadString(e.value, at.Key(e.key));
    if (!value.ok()) return std::move(value).error();
    out[e.key] = std::move(*value);
  }
  return out;
}

}  // namespace

Error ShapeError(const Node& node, const ModelPath& at, std::string_view expected) {
  std::string article = expected.empty() ? "" : (expected[0] == 'a' || expected[0] == 'i'
                                                     ? "an "
                                                     : "a ");
  return Error::Invalid(Where(node, at),
                        "expected " + article + std::string(expected) + ", got " +
                            WithArticle(node));
}

Status RequireMapping(const Node& node, const ModelPath& at) {
  if (!node.IsMapping()) return ShapeError(node, at, "mapping");
  return Status::Ok();
}

Status RequireSequence(const Node& node, const ModelPath& at) {
  if (!node.IsSequence()) return ShapeError(node, at, "sequence");
  return Status::Ok();
}

Result<std::string> ReadString(const Node& node, const ModelPath& at) {
  return ScalarText(node, at, "string");
}

Result<bool> ReadBool(const Node& node, const ModelPath& at) {
  return ReadParsed<bool>(node, at, "boolean", [](std::string_view t) { return ParseBool(t); });
}

Result<int64_t> ReadInt(const Node& node, const ModelPath& at) {
  return ReadParsed<int64_t>(node, at, "integer", [](std::string_view t) { return ParseInt(t); });
}

Result<int> ReadInt32(const Node& node, const ModelPath& at, std::string_view what) {
  Result<int64_t> value = ReadInt(node, at);
  if (!value.ok()) return std::move(value).error();
  if (*value < INT32_MIN || *value > INT32_MAX)
    return Error::Invalid(Where(node, at), std::string(what) + " " + node.scalar() +
                                               " out of range");
  return static_cast<int>(*value);
}

Result<uint64_t> ReadUnsigned(const Node& node, const ModelPath& at) {
  return ReadParsed<uint64_t>(node, at, "non-negative integer",
                              [](std::string_view t) -> std::optional<uint64_t> {
                                std::optional<int64_t> v = ParseInt(t);
                                if (!v || *v < 0) return std::nullopt;
                                return static_cast<uint64_t>(*v);
                              });
}

Result<double> ReadDouble(const Node& node, const ModelPath& at) {
  return ReadParsed<double>(node, at, "number", [](std::string_view t) { return ParseDouble(t); });
}

Result<Duration> ReadDuration(const Node& node, const ModelPath& at) {
  return ReadParsed<Duration>(node, at, "duration",
                              [](std::string_view t) { return ParseDuration(t); });
}

Result<int64_t> ReadBytes(const Node& node, const ModelPath& at) {
  return ReadParsed<int64_t>(node, at, "byte size",
                             [](std::string_view t) { return ParseBytes(t); });
}

Result<uint32_t> ReadFileMode(const Node& node, const ModelPath& at) {
  return ReadParsed<uint32_t>(node, at, "file mode",
                              [](std::string_view t) { return ParseFileMode(t); });
}

Result<std::vector<std::string>> ReadStringList(const Node& node, const ModelPath& at) {
  if (Status s = RequireSequence(node, at); !s.ok()) return std::move(s).error();
  std::vector<std::string> out;
  out.reserve(node.items().size());
  for (size_t i = 0; i < node.items().size(); ++i) {
    Result<std::string> item = ReadString(node.items()[i], at.Index(i));
    if (!item.ok()) return std::move(item).error();
    out.push_back(std::move(*item));
  }
  return out;
}

Result<StringMap> ReadStringMap(const Node& node, const ModelPath& at) {
  return ReadScalarMap<StringMap>(node, at, "");
}

Result<OptionalStringMap> ReadOptionalStringMap(const Node& node, const ModelPath& at) {
  return ReadScalarMap<OptionalStringMap>(node, at, std::nullopt);
}

bool IsExtensionKey(std::string_view key) { return key.size() >= 2 && key.substr(0, 2) == "x-"; }

Status KeepLeftover(const MapEntry& entry, const ModelPath& at, const Leftovers& leftovers) {
  if (IsExtensionKey(entry.key)) {
    if (leftovers.extensions) leftovers.extensions->Set(entry.key, entry.value, entry.key_mark);
    return Status::Ok();
  }
  if (!leftovers.other)
    return Error::Invalid(Where(entry.key_mark, at), "unknown key " + Quote(entry.key));
  leftovers.other->Set(entry.key, entry.value, entry.key_mark);
  return Status::Ok();
}

}  // namespace baton::compose::normalise
