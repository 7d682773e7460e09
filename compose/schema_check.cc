// The walker that checks a Node tree against the schema tables and runs the
// canonicalisation rules they name.

#include <algorithm>
#include <vector>

#include "compose/scalar.h"
#include "compose/schema.h"

namespace baton::compose::schema {
namespace {

std::string_view KindWord(Kind kind) {
  switch (kind) {
    case Kind::kString: return "a string";
    case Kind::kBool: return "a boolean";
    case Kind::kInt: return "an integer";
    case Kind::kNumber: return "a number";
    case Kind::kBytes: return "a byte size";
    case Kind::kDuration: return "a duration";
    case Kind::kMicros: return "a duration";
    case Kind::kFileMode: return "a file mode";
    case Kind::kEnum: return "a string";
    case Kind::kObject:
    case Kind::kMap: return "a mapping";
    case Kind::kList: return "a sequence";
    case Kind::kAny:
    case Kind::kRule: return "a value";
  }
  return "a value";
}

// The word used when scalar text does not read as the kind.
std::string_view ValueWord(Kind kind) {
  switch (kind) {
    case Kind::kBool: return "boolean";
    case Kind::kInt: return "integer";
    case Kind::kNumber: return "number";
    case Kind::kBytes: return "byte size";
    case Kind::kDuration:
    case Kind::kMicros: return "duration";
    case Kind::kFileMode: return "file mode";
    default: return "value";
  }
}

// A YAML 1.1 integer written plainly (`mode: 0440`) is read as an integer,
// octal when it starts with 0; quoted text is octal digits, as compose reads it.
std::optional<uint32_t> ReadFileMode(const Node& node) {
  if (!node.quoted()) {
    std::optional<int64_t> n = ParseInt(node.scalar());
    if (n) {
      if (*n < 0 || *n > 07777) return std::nullopt;
      return static_cast<uint32_t>(*n);
    }
  }
  std::optional<uint32_t> mode = ParseFileMode(node.scalar());
  if (mode && *mode > 07777) return std::nullopt;
  return mode;
}

std::string OctalText(uint32_t mode) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + (mode & 7)));
    mode >>= 3;
  } while (mode != 0);
  return "0" + digits;
}

// Checks the text of a scalar and rewrites it to its canonical spelling.
bool CanonicaliseScalarText(Node& node, Kind kind) {
  const std::string& text = node.scalar();
  switch (kind) {
    case Kind::kString:
      node.set_quoted(true);
      return true;
    case Kind::kBool: {
      std::optional<bool> b = ParseBool(text);
      if (!b) return false;
      node.set_scalar(*b ? "true" : "false");
      node.set_quoted(false);
      return true;
    }
    case Kind::kInt: return ParseInt(text).has_value();
    case Kind::kNumber: return ParseDouble(text).has_value() || ParseInt(text).has_value();
    case Kind::kBytes: return ParseBytes(text).has_value();
    case Kind::kDuration: return ParseDuration(text).has_value();
    case Kind::kMicros: return ParseInt(text).has_value() || ParseDuration(text).has_value();
    case Kind::kFileMode: {
      std::optional<uint32_t> mode = ReadFileMode(node);
      if (!mode) return false;
      node.set_scalar(OctalText(*mode));
      node.set_quoted(true);
      return true;
    }
    default: return true;
  }
}

bool IsResourceName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

bool IsExtensionKey(std::string_view key) { return key.size() >= 2 && key.substr(0, 2) == "x-"; }

const Field* FindField(std::span<const Field> fields, std::string_view key) {
  for (const Field& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

Status CheckObject(Node& node, const Shape& shape, const ModelPath& at) {
  for (MapEntry& entry : node.entries()) {
    if (const Field* field = FindField(shape.fields, entry.key)) {
      if (Status s = Check(entry.value, *field->shape, at.Key(entry.key)); !s.ok()) return s;
      continue;
    }
    if (shape.extensions && IsExtensionKey(entry.key)) continue;
    return Error::Invalid(Where(entry.key_mark, at), "unknown key " + Quote(entry.key));
  }
  for (std::string_view key : shape.required)
    if (!node.Find(key))
      return Error::Invalid(Where(node, at), "missing required key " + Quote(key));
  return Status::Ok();
}

Status CheckMap(Node& node, const Shape& shape, const ModelPath& at) {
  for (MapEntry& entry : node.entries()) {
    if (shape.names == Names::kResource && !IsResourceName(entry.key))
      return Error::Invalid(Where(entry.key_mark, at),
                            "invalid name " + Quote(entry.key) +
                                ": only letters, digits, \".\", \"_\" and \"-\" are allowed");
    if (!shape.element) continue;
    if (Status s = Check(entry.value, *shape.element, at.Key(entry.key)); !s.ok()) return s;
  }
  return Status::Ok();
}

Status CheckUnique(const Node& node, const ModelPath& at) {
  const std::vector<Node>& items = node.items();
  for (size_t i = 1; i < items.size(); ++i) {
    if (!items[i].IsScalar()) continue;
    for (size_t j = 0; j < i; ++j)
      if (items[j].IsScalar() && items[j].scalar() == items[i].scalar())
        return Error::Invalid(Where(items[i], at.Index(i)),
                              "duplicate item " + Quote(items[i].scalar()));
  }
  return Status::Ok();
}

Status CheckList(Node& node, const Shape& shape, const ModelPath& at) {
  std::vector<Node>& items = node.items();
  for (size_t i = 0; i < items.size(); ++i) {
    if (!shape.element) break;
    if (Status s = Check(items[i], *shape.element, at.Index(i)); !s.ok()) return s;
  }
  if (shape.unique) return CheckUnique(node, at);
  return Status::Ok();
}

Status CheckEnum(Node& node, const Shape& shape, const ModelPath& at) {
  if (!node.IsScalar()) return TypeError(node, at, "a string");
  for (std::string_view choice : shape.choices)
    if (node.scalar() == choice) {
      node.set_quoted(true);
      return Status::Ok();
    }
  return ChoiceError(node, at, shape.choices);
}

// A `!reset` item only removes itself (compose cannot reset a single earlier
// item), so it is dropped here and rules never see it.
void DropResetItems(Node& sequence) {
  std::vector<Node>& items = sequence.items();
  std::erase_if(items, [](const Node& item) { return item.tag() == "reset"; });
}

// A rule may replace the value with its long form (a list becomes a
// mapping, a string a list). A tag written on the short form (`!override`)
// belongs to the value, not to its syntax, so it moves to the replacement for
// the merge to see.
Status ApplyRule(Node& node, const Shape& shape, const ModelPath& at) {
  std::string tag = node.tag();
  Status s = shape.rule(node, at);
  node.set_tag(std::move(tag));
  return s;
}

}  // namespace

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

Error TypeError(const Node& node, const ModelPath& at, std::string_view expected) {
  return Error::Invalid(Where(node, at), "must be " + std::string(expected) + ", got " +
                                             std::string(node.KindName()));
}

Error ChoiceError(const Node& node, const ModelPath& at,
                  std::span<const std::string_view> choices) {
  std::string list;
  for (std::string_view c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
  return Error::Invalid(Where(node, at),
                        "invalid value " + Quote(node.scalar()) + ": must be one of: " + list);
}

Status CheckScalar(Node& node, Kind kind, const ModelPath& at) {
  if (!node.IsScalar()) return TypeError(node, at, KindWord(kind));
  if (CanonicaliseScalarText(node, kind)) return Status::Ok();
  return Error::Invalid(Where(node, at),
                        "invalid " + std::string(ValueWord(kind)) + " " + Quote(node.scalar()));
}

Status Check(Node& node, const Shape& shape, const ModelPath& at) {
  if (node.tag() == "reset") return Status::Ok();
  if (node.IsNull() && shape.nullable) return Status::Ok();
  if (node.IsSequence()) DropResetItems(node);
  switch (shape.kind) {
    case Kind::kAny: return Status::Ok();
    case Kind::kRule: return ApplyRule(node, shape, at);
    case Kind::kEnum: return CheckEnum(node, shape, at);
    case Kind::kObject:
      if (!node.IsMapping()) return TypeError(node, at, "a mapping");
      return CheckObject(node, shape, at);
    case Kind::kMap:
      if (!node.IsMapping()) return TypeError(node, at, "a mapping");
      return CheckMap(node, shape, at);
    case Kind::kList:
      if (!node.IsSequence()) return TypeError(node, at, "a sequence");
      return CheckList(node, shape, at);
    default: return CheckScalar(node, shape.kind, at);
  }
}

}  // namespace baton::compose::schema
