#pragma once
// Our own compact reading of the compose-spec JSON schema: which keys exist
// where, and what each value must be. The tables (schema_*.cc) are data; one
// walker (schema_check.cc) checks a Node tree against them. Keys with several
// syntaxes point at a canonicalisation rule (canonical_rules.h) that checks
// and rewrites the value into its long form.
//
// The walker is used by the canonical stage only; it is not a general JSON
// schema engine. Where compose accepts a string for a boolean or a number
// (for interpolated values) the text must still read as one.

#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "compose/node.h"

namespace baton::compose::schema {

// Checks and rewrites `node` in place; `at` is its model path.
using Rule = Status (*)(Node& node, const ModelPath& at);

enum class Kind : unsigned char {
  kString,    // any scalar; marked as a string (quoted)
  kBool,      // true/false/yes/no/on/off; rewritten to plain true/false
  kInt,       // an integer (YAML 1.1 forms)
  kNumber,    // an integer or a decimal number
  kBytes,     // a byte size: 1024, "50M", "1.5g"
  kDuration,  // a Go duration: "1m30s", "10s"
  kMicros,    // an integer number of microseconds, or a duration
  kFileMode,  // an octal file mode; rewritten to the text "0440"
  kEnum,      // one of `choices`
  kObject,    // a mapping with the known keys `fields`
  kMap,       // a mapping of names (checked by `names`) to `element` values
  kList,      // a sequence of `element` items
  kAny,       // anything (extension values)
  kRule,      // `rule` checks and rewrites the value
};

// What the keys of a kMap may be.
enum class Names : unsigned char {
  kAny,
  kResource,  // ^[a-zA-Z0-9._-]+$, as for services, volumes, secrets, configs
};

struct Field;

struct Shape {
  Kind kind = Kind::kAny;
  bool nullable = false;                      // null is accepted and kept
  std::span<const Field> fields = {};         // kObject
  bool extensions = false;                    // kObject: `x-*` keys allowed
  std::span<const std::string_view> required = {};  // kObject
  const Shape* element = nullptr;             // kMap values, kList items
  Names names = Names::kAny;                  // kMap
  bool unique = false;                        // kList of scalars: no repeats
  std::span<const std::string_view> choices = {};  // kEnum
  Rule rule = nullptr;                        // kRule
};

struct Field {
  std::string_view key;
  const Shape* shape;
};

// Checks `node` against `shape` and rewrites it to canonical form, in place.
// Values tagged `!reset` are left alone: the merge removes them. Sequence
// items tagged `!reset` are dropped. A value a rule rewrites keeps its tag
// (`!override` on a list-form `environment` tags the canonical mapping).
Status Check(Node& node, const Shape& shape, const ModelPath& at);

// Checks a scalar `node` against a scalar `kind` (kString ... kFileMode, not
// kEnum) and canonicalises its text; used by rules for their own fields.
Status CheckScalar(Node& node, Kind kind, const ModelPath& at);

// Error helpers, so every rule words errors the same way.
// "must be a mapping, got sequence"
Error TypeError(const Node& node, const ModelPath& at, std::string_view expected);
// "invalid value \"x\": must be one of: a, b"
Error ChoiceError(const Node& node, const ModelPath& at,
                  std::span<const std::string_view> choices);
// `text` quoted as in error messages: "\"80:80:80\"".
std::string Quote(std::string_view text);

// The shapes the rules check long forms against (schema_*.cc).
extern const Shape kFile;           // a whole compose file
extern const Shape kService;        // one service mapping
extern const Shape kBuild;          // services.*.build, long form
extern const Shape kHealthcheck;    // services.*.healthcheck
extern const Shape kPortLong;       // services.*.ports[], long form
extern const Shape kVolumeLong;     // services.*.volumes[], long form
extern const Shape kDeviceLong;     // services.*.devices[], long form
extern const Shape kFileMount;      // services.*.secrets[] / configs[], long form
extern const Shape kDependsOnEntry; // services.*.depends_on.<name>
extern const Shape kServiceNetwork; // services.*.networks.<name>, mapping form
extern const Shape kServiceModel;   // services.*.models.<name>, mapping form
extern const Shape kEnvFileLong;    // services.*.env_file[], long form
extern const Shape kExtendsLong;    // services.*.extends, long form
extern const Shape kUlimitLong;     // services.*.ulimits.<name>, mapping form
extern const Shape kDeviceRequest;  // gpus[] and reservations.devices[]
extern const Shape kInclude;        // include[], long form
extern const Shape kNetwork;        // networks.<name>
extern const Shape kVolume;         // volumes.<name>
extern const Shape kSecret;         // secrets.<name>
extern const Shape kConfig;         // configs.<name>

}  // namespace baton::compose::schema
