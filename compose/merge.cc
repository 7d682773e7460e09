#include "compose/merge.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compose/merge_rules.h"

namespace baton::compose {
namespace {

using merge::Rule;
using merge::Strategy;

bool IsReset(const Node& n) { return n.tag() == "reset"; }
bool IsOverride(const Node& n) { return n.tag() == "override"; }

// Walks two trees together, keeping the path of mapping keys from the file
// root so each value is merged by its rule. A sequence item pushes "[]",
// which no rule names.
class Merger {
 public:
  // `prefix`: the keys above the values merged ("services", "web").
  explicit Merger(std::vector<std::string> prefix) : prefix_(std::move(prefix)) {
    path_.assign(prefix_.begin(), prefix_.end());
  }
  Merger(const Merger&) = delete;
  Merger& operator=(const Merger&) = delete;

  // `base` is clean (see Clean); the result is clean.
  Result<Node> Merge(Node base, const Node& over) {
    if (IsReset(over)) return Node::Null(over.mark());
    if (IsOverride(over)) return Cleaned(over);
    const Rule rule = merge::RuleFor(path_);
    if (over.IsNull()) return rule.strategy == Strategy::kReplace ? Cleaned(over) : base;
    switch (rule.strategy) {
      case Strategy::kReplace:
        return Cleaned(over);
      case Strategy::kByKey:
        if (base.IsMapping() && over.IsMapping()) return MergeByKey(std::move(base), over);
        if (base.IsSequence() && over.IsSequence())
          return AppendUnique(std::move(base), over, KeyOf);
        break;
      case Strategy::kUnique:
        if (base.IsSequence() && over.IsSequence())
          return AppendUnique(std::move(base), over, rule.key);
        if (base.IsMapping() && over.IsMapping()) return MergeByKey(std::move(base), over);
        break;
      case Strategy::kAppendNew:
        if (base.IsSequence() && over.IsSequence()) return AppendNew(std::move(base), over);
        if (base.IsMapping() && over.IsMapping()) return MergeByKey(std::move(base), over);
        break;
      case Strategy::kLogging:
        if (DriversDiffer(base, over)) return Cleaned(over);
        break;
      case Strategy::kIpamConfig:
        if (base.IsSequence() && over.IsSequence()) return MergeBySubnet(std::move(base), over);
        break;
      case Strategy::kDeep:
        break;
    }
    return MergeDeep(std::move(base), over);
  }

  // Applies `!reset` (drops the tagged values), clears tags and makes
  // sequences with a uniqueness rule unique, in place.
  void Clean(Node& n) {
    n.set_tag("");
    if (n.IsMapping()) {
      auto& entries = n.entries();
      std::erase_if(entries, [](const MapEntry& e) { return IsReset(e.value); });
      for (MapEntry& e : entries) {
        path_.push_back(e.key);
        Clean(e.value);
        path_.pop_back();
      }
    } else if (n.IsSequence()) {
      std::erase_if(n.items(), IsReset);
      path_.push_back("[]");
      for (Node& item : n.items()) Clean(item);
      path_.pop_back();
      const Rule rule = merge::RuleFor(path_);
      if (rule.strategy == Strategy::kUnique) n.items() = Unique(std::move(n.items()), rule.key);
    }
  }

 private:
  static std::optional<std::string> KeyOf(const Node& item) {
    if (!item.IsScalar()) return std::nullopt;
    return item.scalar().substr(0, item.scalar().find('='));
  }

  Node Cleaned(const Node& n) {
    Node copy = n;
    Clean(copy);
    return copy;
  }

  Error KindMismatch(const Node& base, const Node& over) const {
    ModelPath at;
    for (std::string_view key : path_) at = key == "[]" ? at : at.Key(key);
    return Error::Invalid(Where(over, at), "cannot override a " + std::string(base.KindName()) +
                                               " with a " + std::string(over.KindName()));
  }

  Result<Node> MergeDeep(Node base, const Node& over) {
    if (base.IsMapping() && over.IsMapping()) return MergeMappings(std::move(base), over);
    if (base.IsSequence() && over.IsSequence()) {
      for (const Node& item : over.items())
        if (!IsReset(item)) base.Append(CleanedItem(item));
      return base;
    }
    if (base.IsMapping() || base.IsSequence()) return KindMismatch(base, over);
    return Cleaned(over);
  }

  Node CleanedItem(const Node& item) {
    path_.push_back("[]");
    Node copy = Cleaned(item);
    path_.pop_back();
    return copy;
  }

  Result<Node> MergeMappings(Node base, const Node& over) {
    std::unordered_map<std::string, size_t> index;
    auto& entries = base.entries();
    for (size_t i = 0; i < entries.size(); ++i) index.emplace(entries[i].key, i);
    std::vector<bool> erased(entries.size(), false);
    for (const MapEntry& e : over.entries()) {
      auto found = index.find(e.key);
      bool present = found != index.end() && !erased[found->second];
      if (IsReset(e.value)) {
        if (present) erased[found->second] = true;
        continue;
      }
      path_.push_back(e.key);
      if (present) {
        Node& target = entries[found->second].value;
        auto merged = Merge(std::move(target), e.value);
        if (!merged.ok()) return std::move(merged).error();
        target = std::move(*merged);
      } else {
        entries.push_back(MapEntry{e.key, e.key_mark, Cleaned(e.value)});
      }
      path_.pop_back();
    }
    size_t kept = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i < erased.size() && erased[i]) continue;
      if (kept != i) entries[kept] = std::move(entries[i]);
      ++kept;
    }
    entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(kept), entries.end());
    return base;
  }

  // Later entries replace earlier ones even when they are a bare `KEY`.
  Node MergeByKey(Node base, const Node& over) {
    for (const MapEntry& e : over.entries()) {
      if (IsReset(e.value)) {
        base.Erase(e.key);
        continue;
      }
      path_.push_back(e.key);
      base.Set(e.key, Cleaned(e.value), e.key_mark);
      path_.pop_back();
    }
    return base;
  }

  static std::vector<Node> Unique(std::vector<Node> items, merge::ItemKey key) {
    if (items.size() < 2) return items;
    std::vector<Node> out;
    std::vector<std::optional<std::string>> keys;  // of `out`; lists are short
    for (Node& item : items) {
      auto k = key(item);
      auto same = k ? std::find(keys.begin(), keys.end(), k) : keys.end();
      if (same != keys.end()) {
        out[static_cast<size_t>(same - keys.begin())] = std::move(item);
        continue;
      }
      keys.push_back(std::move(k));
      out.push_back(std::move(item));
    }
    return out;
  }

  Node AppendUnique(Node base, const Node& over, merge::ItemKey key) {
    for (const Node& item : over.items())
      if (!IsReset(item)) base.Append(CleanedItem(item));
    base.items() = Unique(std::move(base.items()), key);
    return base;
  }

  Node AppendNew(Node base, const Node& over) {
    const size_t earlier = base.items().size();
    for (const Node& item : over.items()) {
      if (IsReset(item)) continue;
      bool known = false;
      for (size_t i = 0; i < earlier && !known; ++i) known = base.items()[i].SameContent(item);
      if (!known) base.Append(CleanedItem(item));
    }
    return base;
  }

  static bool DriversDiffer(const Node& base, const Node& over) {
    const Node* a = base.IsMapping() ? base.Find("driver") : nullptr;
    const Node* b = over.IsMapping() ? over.Find("driver") : nullptr;
    return a && b && !a->SameContent(*b);
  }

  static const Node* Subnet(const Node& config) {
    return config.IsMapping() ? config.Find("subnet") : nullptr;
  }

  Result<Node> MergeBySubnet(Node base, const Node& over) {
    for (const Node& item : over.items()) {
      if (IsReset(item)) continue;
      const Node* subnet = Subnet(item);
      Node* same = nullptr;
      for (Node& config : base.items()) {
        const Node* s = Subnet(config);
        if (subnet && s && s->SameContent(*subnet)) same = &config;
      }
      if (!same) {
        base.Append(CleanedItem(item));
        continue;
      }
      path_.push_back("[]");
      auto merged = MergeMappings(std::move(*same), item);
      path_.pop_back();
      if (!merged.ok()) return std::move(merged).error();
      *same = std::move(*merged);
    }
    return base;
  }

  std::vector<std::string> prefix_;
  // Views of keys of the trees being walked (or of prefix_), which outlive
  // each step of the walk.
  std::vector<std::string_view> path_;
};

}  // namespace

Result<Node> MergeFiles(Node base, const Node& override_file) {
  Merger merger({});
  merger.Clean(base);
  if (base.IsNull()) base = Node::Mapping(override_file.mark());
  if (override_file.IsNull()) return base;
  return merger.Merge(std::move(base), override_file);
}

Result<Node> MergeResource(std::string_view section, std::string_view name, Node base,
                           const Node& override) {
  Merger merger({std::string(section), std::string(name)});
  merger.Clean(base);
  if (base.IsNull()) base = Node::Mapping(override.mark());
  return merger.Merge(std::move(base), override);
}

}  // namespace baton::compose
