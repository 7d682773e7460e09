#pragma once
// Splitting a command line written as one string (`command: npm run dev`)
// into words, as compose does with go-shellwords (no variable expansion, no
// command substitution): blanks separate words; '...' is literal; "..." and
// a bare backslash escape the next character (\t and \n give a tab and a
// newline); `...` and $(...) are kept as written, blanks included.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace baton::compose {

// The words of `line`; an empty or blank line gives no words. Errors
// (kInvalid, `where` empty, for the caller to fill) for an unterminated
// quote, backquote, $( or escape, an unexpected parenthesis, and for an
// unquoted shell operator (; & | < >): compose silently drops everything
// from such an operator on, which is never what the writer meant.
Result<std::vector<std::string>> SplitShellWords(std::string_view line);

}  // namespace baton::compose
