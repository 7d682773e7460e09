#pragma once
// The loader's document tree: what a YAML file says, with the position of
// every value, before any compose meaning is given to it. Every stage before
// normalisation (merge keys, interpolation, multi-file merge, extends,
// include, profiles) reads and rewrites this tree; normalisation turns it into
// the typed model (model.h).
//
// We keep our own tree instead of YAML::Node because yaml-cpp 0.7 shares
// aliased nodes by reference (rewriting one rewrites every alias), does not
// resolve `<<` merge keys, and has no cheap deep copy.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace baton::compose {

// Where a value was written. Files are shared strings so marks copy cheaply.
struct Mark {
  std::shared_ptr<const std::string> file;
  int line = 0;    // 1-based; 0 when unknown (a value the loader made up)
  int column = 0;  // 1-based

  // "compose.yaml:12:7", "compose.yaml" when the line is unknown, "" when no file.
  std::string ToString() const;
};

struct MapEntry;

class Node {
 public:
  enum class Kind { kNull, kScalar, kSequence, kMapping };

  static Node Null(Mark mark = {});
  // `quoted` is true for quoted and block scalars: they are always strings.
  // Plain scalars are typed by their text (true, 12, 1.5, null).
  static Node Scalar(std::string text, bool quoted = true, Mark mark = {});
  static Node Sequence(Mark mark = {});
  static Node Mapping(Mark mark = {});

  Kind kind() const { return kind_; }
  bool IsNull() const { return kind_ == Kind::kNull; }
  bool IsScalar() const { return kind_ == Kind::kScalar; }
  bool IsSequence() const { return kind_ == Kind::kSequence; }
  bool IsMapping() const { return kind_ == Kind::kMapping; }
  // "null", "string", "sequence" or "mapping", for error messages.
  std::string_view KindName() const;

  const Mark& mark() const { return mark_; }
  void set_mark(Mark mark) { mark_ = std::move(mark); }

  // Custom YAML tag without the leading "!": "reset", "override", or "".
  const std::string& tag() const { return tag_; }
  void set_tag(std::string tag) { tag_ = std::move(tag); }

  // Scalars.
  const std::string& scalar() const { return scalar_; }
  void set_scalar(std::string text) { scalar_ = std::move(text); }
  bool quoted() const { return quoted_; }
  void set_quoted(bool quoted) { quoted_ = quoted; }

  // Sequences.
  const std::vector<Node>& items() const { return items_; }
  std::vector<Node>& items() { return items_; }
  void Append(Node item);

  // Mappings keep the order in which keys were written.
  const std::vector<MapEntry>& entries() const { return entries_; }
  std::vector<MapEntry>& entries() { return entries_; }
  // The value under `key`, or nullptr.
  const Node* Find(std::string_view key) const;
  Node* Find(std::string_view key);
  const MapEntry* FindEntry(std::string_view key) const;
  // Sets `key` to `value`, replacing an existing entry in place or appending.
  // `key_mark` defaults to the value's mark.
  Node& Set(std::string key, Node value, std::optional<Mark> key_mark = std::nullopt);
  // Removes `key`; returns false if it was absent.
  bool Erase(std::string_view key);

  // Deep structural equality of kind, scalar text, items and entries (in
  // order). Marks, tags and quoting are ignored.
  bool SameContent(const Node& other) const;

 private:
  Kind kind_ = Kind::kNull;
  Mark mark_;
  std::string tag_;
  std::string scalar_;
  bool quoted_ = false;
  std::vector<Node> items_;
  std::vector<MapEntry> entries_;
};

struct MapEntry {
  std::string key;
  Mark key_mark;
  Node value;
};

// Defined here, where MapEntry is complete: moving a Node moves its entries.
inline void Node::Append(Node item) { items_.push_back(std::move(item)); }

// A path inside the compose model, for error messages:
// services.web.ports[1]. Cheap to copy; each recursive walk passes one down.
class ModelPath {
 public:
  ModelPath() = default;
  ModelPath Key(std::string_view key) const;
  ModelPath Index(size_t index) const;
  const std::string& str() const { return text_; }
  bool empty() const { return text_.empty(); }

 private:
  explicit ModelPath(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

// "compose.yaml:12:7: services.web.ports[1]": the `where` of an Error about
// `node` at `at`. Either part may be missing.
std::string Where(const Mark& mark, const ModelPath& at);
inline std::string Where(const Node& node, const ModelPath& at) { return Where(node.mark(), at); }

}  // namespace baton::compose
