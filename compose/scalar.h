#pragma once
// Typed readings of scalar text, shared by normalisation and output.
// All return nullopt on text that does not fit; callers make the error.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compose/model.h"

namespace baton::compose {

// YAML 1.1 plain-scalar types, as compose's YAML library reads them.
bool IsNullText(std::string_view text);                   // "", "~", "null", "Null", "NULL"
std::optional<bool> ParseBool(std::string_view text);     // true/false/yes/no/on/off (any case of those)
std::optional<int64_t> ParseInt(std::string_view text);   // decimal, 0x hex, 0o / leading-0 octal
std::optional<double> ParseDouble(std::string_view text);

// Go durations as compose accepts them: "1m30s", "1.5h", "300ms", "10us",
// "5ns", and a bare number of seconds ("10"). Negative values are refused.
std::optional<Duration> ParseDuration(std::string_view text);
// Go's time.Duration.String(): "1m30s", "1h0m0s", "1.5s", "300ms", "0s".
std::string FormatDuration(Duration d);

// Byte sizes as compose accepts them: "1024", "50M", "1.5g", "100kb", "2GiB".
// Units are powers of 1024; case is ignored.
std::optional<int64_t> ParseBytes(std::string_view text);

// Octal file modes: "0440", "440", "0o440", or a YAML 1.1 integer already
// read as octal by the parser. Returns the numeric mode.
std::optional<uint32_t> ParseFileMode(std::string_view text);

}  // namespace baton::compose
