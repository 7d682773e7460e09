#pragma once
// Building blocks shared by the serialize_*.cc files: typed and string
// scalars, lists and maps from model containers, and compose's key order.
// Internal to serialize; nothing outside compose/serialize*.cc includes it.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compose/model.h"
#include "compose/node.h"

namespace baton::compose::serialize {

Node String(std::string text);  // quoted: always read back as a string
Node Int(int64_t value);        // typed
Node UInt(uint64_t value);      // typed
Node Bool(bool value);          // typed
Node Double(double value);      // typed, shortest text that reads back the same
Node Bytes(int64_t value);      // compose prints byte sizes as strings: "52428800"
Node DurationText(Duration value);      // "1m30s", a string
Node FileModeText(uint32_t mode);       // "0440", a string
Node StringList(const std::vector<std::string>& items);
Node StringMapNode(const StringMap& map);
Node OptionalStringMapNode(const OptionalStringMap& map);  // nullopt -> null

// Appends `key: value` to `mapping`; the Put*If forms skip empty values.
void Put(Node& mapping, std::string key, Node value);
void PutStringIf(Node& mapping, std::string key, const std::string& value);
void PutListIf(Node& mapping, std::string key, const std::vector<std::string>& items);
void PutMapIf(Node& mapping, std::string key, const StringMap& map);
void PutTrueIf(Node& mapping, std::string key, bool value);  // compose omits false
void PutDurationIf(Node& mapping, std::string key, const std::optional<Duration>& value);

// Adds every entry of `other` (a mapping of keys the model keeps untyped) to
// `mapping`. A key present in both as mappings is merged one level down, so
// `other` may carry sub-keys (bind.recursive) as well as whole keys.
void MergeOther(Node& mapping, const Node& other);

// Reorders `mapping`'s entries: keys listed in `order` first, in that order;
// then unlisted keys, sorted; then `x-` keys, sorted.
void OrderKeys(Node& mapping, std::initializer_list<std::string_view> order);

// Appends the `x-` extensions (a mapping) after the other keys, sorted.
void PutExtensions(Node& mapping, const Node& extensions);

// Per-part builders (serialize_service*.cc, serialize_deploy.cc).
Node ServiceNode(const Service& service);
Node BuildNode(const BuildConfig& build);
Node PortNode(const PortConfig& port);
Node VolumeMountNode(const VolumeMount& mount);
Node FileReferenceNode(const FileReference& ref);
Node HealthcheckNode(const Healthcheck& check);
Node DeployNode(const Deploy& deploy);

}  // namespace baton::compose::serialize
