#pragma once
// Typed readings of canonical Nodes for the normalise_*.cc files, each with a
// located kInvalid error when the node has another shape or text, and a
// table-driven reader for mappings. Internal to normalisation.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "compose/model.h"
#include "compose/node.h"

namespace baton::compose::normalise {

// "expected a mapping, got a sequence", located at `node`.
Error ShapeError(const Node& node, const ModelPath& at, std::string_view expected);

Status RequireMapping(const Node& node, const ModelPath& at);
Status RequireSequence(const Node& node, const ModelPath& at);

Result<std::string> ReadString(const Node& node, const ModelPath& at);
Result<bool> ReadBool(const Node& node, const ModelPath& at);
Result<int64_t> ReadInt(const Node& node, const ModelPath& at);
// An integer that fits an int; `what` names it when it does not:
// "scale 9999999999 out of range".
Result<int> ReadInt32(const Node& node, const ModelPath& at, std::string_view what);
Result<uint64_t> ReadUnsigned(const Node& node, const ModelPath& at);
Result<double> ReadDouble(const Node& node, const ModelPath& at);
Result<Duration> ReadDuration(const Node& node, const ModelPath& at);
Result<int64_t> ReadBytes(const Node& node, const ModelPath& at);
Result<uint32_t> ReadFileMode(const Node& node, const ModelPath& at);

// A sequence of scalars.
Result<std::vector<std::string>> ReadStringList(const Node& node, const ModelPath& at);
// A mapping of scalars; a null value reads as "" (labels, options).
Result<StringMap> ReadStringMap(const Node& node, const ModelPath& at);
// A mapping of scalars; a null value stays nullopt (environment, build args).
Result<OptionalStringMap> ReadOptionalStringMap(const Node& node, const ModelPath& at);

bool IsExtensionKey(std::string_view key);

// Stores a read value into a model field, or passes the error on.
template <typename T>
Status Assign(Result<T> read, T& field) {
  if (!read.ok()) return std::move(read).error();
  field = std::move(*read);
  return Status::Ok();
}
template <typename T>
Status Assign(Result<T> read, std::optional<T>& field) {
  if (!read.ok()) return std::move(read).error();
  field = std::move(*read);
  return Status::Ok();
}

// The class a member pointer belongs to: MemberOwner<decltype(&Service::image)>
// is Service.
template <typename MemberPointer>
struct MemberOwner;
template <typename Owner, typename Value>
struct MemberOwner<Value Owner::*> {
  using type = Owner;
};

// A Field reader (below) that stores what `read` makes of the value in
// `member`: {"image", Into<ReadString, &Service::image>}. `read` is one of
// the Read* functions above; its error is returned and the member is left
// as it was.
template <auto read, auto member>
Status Into(const Node& value, const ModelPath& at,
            typename MemberOwner<decltype(member)>::type& target) {
  return Assign(read(value, at), target.*member);
}

// One typed key of a mapping and how to read its value into a T.
template <typename T>
struct Field {
  std::string_view key;
  Status (*read)(const Node& value, const ModelPath& at, T& target);
};

// Where the keys a Field table does not type go. A null `other` refuses
// them ("unknown key"); a null `extensions` ignores `x-` keys, which the
// spec allows nearly everywhere and which mean nothing to compose.
struct Leftovers {
  Node* other = nullptr;       // non-`x-` keys, copied as written
  Node* extensions = nullptr;  // `x-` keys
};

// Walks one mapping entry: returns the Field for `key`, or nullptr.
template <typename T>
const Field<T>* FindField(std::span<const Field<T>> fields, std::string_view key) {
  for (const Field<T>& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

// Keeps an untyped entry as `leftovers` says, or refuses it.
Status KeepLeftover(const MapEntry& entry, const ModelPath& at, const Leftovers& leftovers);

// Reads every entry of the mapping `node` into `target` with `fields`.
template <typename T>
Status ReadFields(const Node& node, const ModelPath& at, std::span<const Field<T>> fields,
                  T& target, const Leftovers& leftovers = {}) {
  if (Status s = RequireMapping(node, at); !s.ok()) return s;
  for (const MapEntry& entry : node.entries()) {
    ModelPath key_at = at.Key(entry.key);
    const Field<T>* field = FindField(fields, entry.key);
    Status s = field ? field->read(entry.value, key_at, target)
                     : KeepLeftover(entry, key_at, leftovers);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace baton::compose::normalise
