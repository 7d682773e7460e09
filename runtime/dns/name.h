#pragma once
// Domain names in the DNS wire format (RFC 1035 sections 3.1 and 4.1.4):
// reading possibly compressed names from untrusted messages, writing
// uncompressed ones.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace baton::dns {

constexpr size_t kMaxNameLength = 255;  // wire bytes: every length octet and the root included
constexpr size_t kMaxLabelLength = 63;

// A name's labels as received (case kept), without the empty root label.
using Labels = std::vector<std::string>;

// Reads the name at `*offset` of `message`, following compression pointers,
// and on success moves `*offset` past the name's own bytes (a pointer ends
// them). A pointer must point before the run of labels it ends, so the
// targets strictly decrease and no message can make this loop. On failure
// returns kInvalid with where "offset N" (the offending byte) and leaves
// `*offset` alone. Never reads outside `message`.
Result<Labels> ReadName(std::string_view message, size_t* offset);

// Appends `labels` as an uncompressed wire name. Returns false, appending
// nothing, when a label is empty or over 63 bytes or the name over 255 bytes.
bool AppendLabels(const Labels& labels, std::string* out);

// Appends the text name `name` ("shop-api-1", a trailing dot allowed) as an
// uncompressed wire name. Returns false, appending nothing, when it is not a
// valid name (empty, an empty label, a label over 63 bytes, over 255 bytes).
bool AppendName(std::string_view name, std::string* out);

// The name as lower-case (ASCII) text with dots between labels ("api.shop"),
// or nullopt when a label itself holds a dot, which no text name can match.
std::optional<std::string> LowerDotted(const Labels& labels);

}  // namespace baton::dns
