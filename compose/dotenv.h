#pragma once
// .env files, parsed as compose does: KEY=VALUE lines, `export` prefixes,
// comments, single quotes (literal), double quotes (escapes \n \t \" \\ and
// ${} references), unquoted values with trailing comments stripped, values
// continued over several lines inside quotes, a leading UTF-8 BOM, and
// ${VAR} / $VAR references to earlier lines or to `lookup`.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "compose/interpolate.h"

namespace baton::compose {

using EnvEntries = std::vector<std::pair<std::string, std::string>>;

// Parses `text` (read from `file`, named in errors as "file:line"). `lookup`
// answers references to variables not defined earlier in the file. A line
// `KEY` without `=` takes KEY's value from `lookup` and is omitted when
// `lookup` has none. Later duplicates override earlier ones in place.
Result<EnvEntries> ParseDotEnv(std::string_view text, const std::string& file, const Lookup& lookup);

}  // namespace baton::compose
