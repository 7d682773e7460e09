#pragma once
// The table behind merge.h: which compose keys merge other than by the
// default (mappings key by key, sequences appended, scalars replaced), and
// the identity of items in sequences whose items must stay unique.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "compose/node.h"

namespace baton::compose::merge {

enum class Strategy {
  kDeep,        // mappings key by key, sequences appended, scalars replaced
  kReplace,     // the later value replaces the earlier one whole
  kByKey,       // mapping entries replaced by key, including by a bare `KEY` (null)
  kUnique,      // sequences appended; a later item replaces an earlier one with the same key
  kAppendNew,   // sequences appended, leaving out later items equal to an earlier one
  kLogging,     // merged if the drivers agree, replaced otherwise
  kIpamConfig,  // sequence of mappings merged by `subnet`
};

// The identity of a sequence item under kUnique; nullopt for an item that
// has none (it is never replaced).
using ItemKey = std::optional<std::string> (*)(const Node& item);

struct Rule {
  Strategy strategy = Strategy::kDeep;
  ItemKey key = nullptr;  // kUnique only
};

// The rule for the value at `path`: the mapping keys from the root of a
// compose file down to it ("services", "web", "ports").
Rule RuleFor(std::span<const std::string_view> path);

}  // namespace baton::compose::merge
