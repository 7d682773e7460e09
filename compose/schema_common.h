#pragma once
// Shapes shared by the schema tables (schema_*.cc): the leaf values and the
// compose-spec's recurring definitions. Inline, so every table points at the
// same objects.

#include <string_view>

#include "compose/canonical_rules.h"
#include "compose/schema.h"

namespace baton::compose::schema {

inline constexpr Shape kStr{.kind = Kind::kString};
inline constexpr Shape kStrOrNull{.kind = Kind::kString, .nullable = true};
inline constexpr Shape kBoolean{.kind = Kind::kBool};
inline constexpr Shape kInteger{.kind = Kind::kInt};
inline constexpr Shape kNum{.kind = Kind::kNumber};
inline constexpr Shape kByteSize{.kind = Kind::kBytes};
inline constexpr Shape kDurationText{.kind = Kind::kDuration};
inline constexpr Shape kMicrosOrDuration{.kind = Kind::kMicros};
inline constexpr Shape kMode{.kind = Kind::kFileMode};
inline constexpr Shape kAnything{.kind = Kind::kAny};

// list_of_strings: items are unique.
inline constexpr Shape kListOfStrings{.kind = Kind::kList, .element = &kStr, .unique = true};
// A plain array of strings, repeats allowed.
inline constexpr Shape kStringList{.kind = Kind::kList, .element = &kStr};
// driver_opts and the like: names to scalars, kept as strings.
inline constexpr Shape kStringMap{.kind = Kind::kMap, .element = &kStr};
inline constexpr Shape kListOrDict{.kind = Kind::kRule, .rule = canonical::ListOrDict};
inline constexpr Shape kStringOrList{.kind = Kind::kRule, .rule = canonical::StringOrList};
inline constexpr Shape kExtraHosts{.kind = Kind::kRule, .rule = canonical::ExtraHosts};
inline constexpr Shape kCommand{.kind = Kind::kRule, .nullable = false,
                                .rule = canonical::Command};
inline constexpr Shape kNullableCommand{.kind = Kind::kRule, .nullable = true,
                                        .rule = canonical::Command};
inline constexpr Shape kFileMountItem{.kind = Kind::kRule, .rule = canonical::FileMount};
inline constexpr Shape kFileMounts{.kind = Kind::kList, .element = &kFileMountItem};
inline constexpr Shape kUlimitValue{.kind = Kind::kRule, .rule = canonical::Ulimit};
inline constexpr Shape kUlimits{.kind = Kind::kMap, .element = &kUlimitValue};

// Shared definitions, defined in schema_service_parts.cc.
extern const Shape kServiceHook;  // post_start[], pre_stop[], develop.watch[].exec
extern const Shape kPreStartHook;
extern const Shape kDeploy;
extern const Shape kDevelop;

}  // namespace baton::compose::schema
