#include "compose/node.h"

namespace baton::compose {

std::string Mark::ToString() const {
  if (!file) return "";
  if (line <= 0) return *file;
  return *file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Node Node::Null(Mark mark) {
  Node n;
  n.mark_ = std::move(mark);
  return n;
}

Node Node::Scalar(std::string text, bool quoted, Mark mark) {
  Node n;
  n.kind_ = Kind::kScalar;
  n.scalar_ = std::move(text);
  n.quoted_ = quoted;
  n.mark_ = std::move(mark);
  return n;
}

Node Node::Sequence(Mark mark) {
  Node n;
  n.kind_ = Kind::kSequence;
  n.mark_ = std::move(mark);
  return n;
}

Node Node::Mapping(Mark mark) {
  Node n;
  n.kind_ = Kind::kMapping;
  n.mark_ = std::move(mark);
  return n;
}

std::string_view Node::KindName() const {
  switch (kind_) {
    case Kind::kNull: return "null";
    case Kind::kScalar: return "string";
    case Kind::kSequence: return "sequence";
    case Kind::kMapping: return "mapping";
  }
  return "unknown";
}

const MapEntry* Node::FindEntry(std::string_view key) const {
  for (const MapEntry& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

const Node* Node::Find(std::string_view key) const {
  const MapEntry* e = FindEntry(key);
  return e ? &e->value : nullptr;
}

Node* Node::Find(std::string_view key) {
  for (MapEntry& e : entries_)
    if (e.key == key) return &e.value;
  return nullptr;
}

Node& Node::Set(std::string key, Node value, std::optional<Mark> key_mark) {
  for (MapEntry& e : entries_) {
    if (e.key == key) {
      e.value = std::move(value);
      if (key_mark) e.key_mark = *key_mark;
      return e.value;
    }
  }
  Mark km = key_mark ? *key_mark : value.mark();
  entries_.push_back(MapEntry{std::move(key), std::move(km), std::move(value)});
  return entries_.back().value;
}

bool Node::Erase(std::string_view key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->key == key) {
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

bool Node::SameContent(const Node& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::kNull: return true;
    case Kind::kScalar: return scalar_ == other.scalar_;
    case Kind::kSequence:
      if (items_.size() != other.items_.size()) return false;
      for (size_t i = 0; i < items_.size(); ++i)
        if (!items_[i].SameContent(other.items_[i])) return false;
      return true;
    case Kind::kMapping:
      if (entries_.size() != other.entries_.size()) return false;
      for (size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].key != other.entries_[i].key ||
            !entries_[i].value.SameContent(other.entries_[i].value))
          return false;
      return true;
  }
  return false;
}

ModelPath ModelPath::Key(std::string_view key) const {
  if (text_.empty()) return ModelPath(std::string(key));
  return ModelPath(text_ + "." + std::string(key));
}

ModelPath ModelPath::Index(size_t index) const {
  return ModelPath(text_ + "[" + std::to_string(index) + "]");
}

std::string Where(const Mark& mark, const ModelPath& at) {
  std::string m = mark.ToString();
  if (m.empty()) return at.str();
  if (at.empty()) return m;
  return m + ": " + at.str();
}

}  // namespace baton::compose
