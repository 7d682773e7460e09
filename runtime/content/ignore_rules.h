#pragma once
// .dockerignore rules, as the Docker CLI applies them to a build context:
// one pattern a line, `#` comments, `!` re-includes, the last matching rule
// wins, `*` and `?` stop at `/`, `**` crosses directories, a leading `/` or
// `./` is dropped. A path is excluded when its own rule or a parent
// directory's rule excludes it.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace baton::content {

class IgnoreRules {
 public:
  // kInvalid at "FILE:LINE": a bare "!", an unterminated "[", a bad range.
  static Result<IgnoreRules> Parse(std::string_view text, std::string_view file_name);

  // `relative_path` is "/"-separated, without a leading "./".
  bool Excludes(std::string_view relative_path) const;
  // Some rule re-includes (`!`).
  bool has_exceptions() const;
  // Something below the excluded `folder` may still be sent (a `!` rule, or
  // a KeepAlways path under it), so the walk must enter it.
  bool MayReinclude(std::string_view folder) const;
  // Never excluded, whatever the rules say (the Dockerfile and .dockerignore
  // are always sent; the daemon itself drops them again when excluded).
  void KeepAlways(std::string_view relative_path);

  struct Rule {
    std::vector<std::string> segments;  // the pattern split at "/"
    bool exception = false;
  };

 private:
  std::vector<Rule> rules_;
  std::vector<std::string> keep_;
};

}  // namespace baton::content
