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

// Parses `text` (read from `file`). References in values are answered by
// `lookup` first and then by the lines above, as compose does (so the
// process environment wins over the file). A line `KEY` without `=` takes
// KEY's value from `lookup` and is omitted when `lookup` has none. Later
// duplicates override earlier ones in place. Keys may start with a digit
// (compose keeps them when it reads an --env-file).
// Errors are kInvalid with `where` = "file:line" (the line the key or value
// starts on): "key cannot contain a space", "unexpected character \"%\" in
// variable name \"%X=1\"", "unterminated quoted value \"abc", and the
// interpolation errors of InterpolateString.
Result<EnvEntries> ParseDotEnv(std::string_view text, const std::string& file,
                               const Lookup& lookup);

}  // namespace baton::compose
