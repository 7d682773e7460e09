#include "compose/yaml_merge_keys.h"

#include <iterator>
#include <string>
#include <unordered_set>
#include <vector>

namespace baton::compose {
namespace {

// Go's yaml words it this way; compose users see the same text.
constexpr const char* kWantMap = "map merge requires map or sequence of maps as the value";

// The mappings a `<<` value merges, in priority order.
Result<std::vector<Node*>> MergeSources(Node& value, const ModelPath& at) {
  if (value.IsMapping()) return std::vector<Node*>{&value};
  if (!value.IsSequence()) return Error::Invalid(Where(value, at), kWantMap);
  std::vector<Node*> sources;
  for (size_t i = 0; i < value.items().size(); ++i) {
    Node& item = value.items()[i];
    if (!item.IsMapping()) return Error::Invalid(Where(item, at.Index(i)), kWantMap);
    sources.push_back(&item);
  }
  return sources;
}

}  // namespace

Result<Node> ResolveMergeKey(Node mapping, MergeKey merge, const ModelPath& at) {
  auto sources = MergeSources(merge.value, at.Key("<<"));
  if (!sources.ok()) return std::move(sources).error();

  std::unordered_set<std::string> taken;
  for (const MapEntry& e : mapping.entries()) taken.insert(e.key);
  std::vector<MapEntry> merged;
  for (Node* source : *sources) {
    for (MapEntry& e : source->entries()) {
      if (taken.insert(e.key).second) merged.push_back(std::move(e));
    }
  }

  std::vector<MapEntry>& entries = mapping.entries();
  size_t position = merge.position < entries.size() ? merge.position : entries.size();
  entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(position),
                 std::make_move_iterator(merged.begin()), std::make_move_iterator(merged.end()));
  return mapping;
}

}  // namespace baton::compose
