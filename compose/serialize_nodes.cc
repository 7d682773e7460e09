#include "compose/serialize_nodes.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <tuple>

#include "compose/scalar.h"

namespace baton::compose::serialize {

namespace {

Node Typed(std::string text) { return Node::Scalar(std::move(text), /*quoted=*/false); }

bool IsExtensionKey(std::string_view key) { return key.substr(0, 2) == "x-"; }

}  // namespace

Node String(std::string text) { return Node::Scalar(std::move(text), /*quoted=*/true); }
Node Int(int64_t value) { return Typed(std::to_string(value)); }
Node UInt(uint64_t value) { return Typed(std::to_string(value)); }
Node Bool(bool value) { return Typed(value ? "true" : "false"); }

Node Double(double value) {
  if (std::isnan(value)) return Typed(".nan");
  if (std::isinf(value)) return Typed(value > 0 ? ".inf" : "-.inf");
  // The shortest digits that read back as the same double, laid out as Go's
  // strconv 'g' does for compose's YAML: an exponent only below 1e-4 or from
  // 1e21 up, so 0.0001 stays "0.0001", 2.0 is "2" and 1e-05 is "1e-05".
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value,
                                 std::chars_format::scientific);
  if (ec != std::errc()) return Typed("0");
  const std::string scientific(buffer, end);
  const int exponent = std::atoi(scientific.c_str() + scientific.find('e') + 1);
  if (exponent < -4 || exponent >= 21) return Typed(scientific);
  auto fixed = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (fixed.ec != std::errc()) return Typed(scientific);
  return Typed(std::string(buffer, fixed.ptr));
}

Node Bytes(int64_t value) { return String(std::to_string(value)); }
Node DurationText(Duration value) { return String(FormatDuration(value)); }

Node FileModeText(uint32_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0%o", mode);
  return String(buffer);
}

Node StringList(const std::vector<std::string>& items) {
  Node list = Node::Sequence();
  for (const std::string& item : items) list.Append(String(item));
  return list;
}

Node StringMapNode(const StringMap& map) {
  Node mapping = Node::Mapping();
  for (const auto& [key, value] : map) Put(mapping, key, String(value));
  return mapping;
}

Node OptionalStringMapNode(const OptionalStringMap& map) {
  Node mapping = Node::Mapping();
  for (const auto& [key, value] : map) Put(mapping, key, value ? String(*value) : Node::Null());
  return mapping;
}

void Put(Node& mapping, std::string key, Node value) {
  mapping.entries().push_back(MapEntry{std::move(key), Mark{}, std::move(value)});
}

void PutStringIf(Node& mapping, std::string key, const std::string& value) {
  if (!value.empty()) Put(mapping, std::move(key), String(value));
}

void PutListIf(Node& mapping, std::string key, const std::vector<std::string>& items) {
  if (!items.empty()) Put(mapping, std::move(key), StringList(items));
}

void PutMapIf(Node& mapping, std::string key, const StringMap& map) {
  if (!map.empty()) Put(mapping, std::move(key), StringMapNode(map));
}

void PutTrueIf(Node& mapping, std::string key, bool value) {
  if (value) Put(mapping, std::move(key), Bool(true));
}

void PutDurationIf(Node& mapping, std::string key, const std::optional<Duration>& value) {
  if (value) Put(mapping, std::move(key), DurationText(*value));
}

void MergeOther(Node& mapping, const Node& other) {
  if (!other.IsMapping()) return;
  for (const MapEntry& entry : other.entries()) {
    Node* existing = mapping.Find(entry.key);
    if (existing == nullptr) {
      Put(mapping, entry.key, entry.value);
    } else if (existing->IsMapping() && entry.value.IsMapping()) {
      for (const MapEntry& sub : entry.value.entries()) existing->Set(sub.key, sub.value);
    } else {
      *existing = entry.value;  // the typed field and `other` should never both hold a key
    }
  }
}

void OrderKeys(Node& mapping, std::initializer_list<std::string_view> order) {
  auto rank = [&order](const MapEntry& entry) {
    if (IsExtensionKey(entry.key)) return std::make_tuple(2, size_t{0}, std::string_view(entry.key));
    auto found = std::find(order.begin(), order.end(), entry.key);
    if (found != order.end()) {
      return std::make_tuple(0, size_t(found - order.begin()), std::string_view());
    }
    return std::make_tuple(1, size_t{0}, std::string_view(entry.key));
  };
  std::stable_sort(mapping.entries().begin(), mapping.entries().end(),
                   [&rank](const MapEntry& a, const MapEntry& b) { return rank(a) < rank(b); });
}

void PutExtensions(Node& mapping, const Node& extensions) {
  if (!extensions.IsMapping()) return;
  std::vector<const MapEntry*> sorted;
  for (const MapEntry& entry : extensions.entries()) sorted.push_back(&entry);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const MapEntry* a, const MapEntry* b) { return a->key < b->key; });
  for (const MapEntry* entry : sorted) Put(mapping, entry->key, entry->value);
}

}  // namespace baton::compose::serialize
