#include "runtime/content/ignore_rules.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace baton::content {
namespace {

// filepath.Clean for "/"-separated patterns: no empty or "." segments,
// ".." eats the segment before it; keeps a leading "/".
std::string CleanPattern(std::string_view pattern) {
  bool rooted = !pattern.empty() && pattern.front() == '/';
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= pattern.size()) {
    size_t slash = std::min(pattern.find('/', at), pattern.size());
    std::string part(pattern.substr(at, slash - at));
    at = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
      continue;
    }
    if (part == ".." && rooted) continue;
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

// Checks a "[...]" class starting at `at` (just after "["); returns the index
// just past "]" or an explanation of what is wrong.
struct ClassEnd {
  size_t next = 0;
  std::string problem;
};

ClassEnd ScanClass(std::string_view p, size_t at) {
  if (at < p.size() && p[at] == '^') ++at;
  int items = 0;
  while (true) {
    if (at >= p.size()) return {0, "unterminated \"[\""};
    if (p[at] == ']' && items > 0) return {at + 1, ""};
    auto single = [&](size_t& i) -> std::optional<char> {
      if (i >= p.size() || p[i] == '-' || p[i] == ']') return std::nullopt;
      if (p[i] == '\\') ++i;
      if (i >= p.size()) return std::nullopt;
      return p[i++];
    };
    std::optional<char> lo = single(at);
    if (!lo) return {0, at >= p.size() ? "unterminated \"[\"" : "bad character class"};
    if (at < p.size() && p[at] == '-') {
      ++at;
      std::optional<char> hi = single(at);
      if (!hi) return {0, at >= p.size() ? "unterminated \"[\"" : "bad character class"};
      if (static_cast<unsigned char>(*hi) < static_cast<unsigned char>(*lo))
        return {0, std::string("range ") + *lo + "-" + *hi + " is out of order"};
    }
    ++items;
  }
}

std::string CheckPattern(std::string_view p) {
  for (size_t at = 0; at < p.size(); ++at) {
    if (p[at] == '\\') {
      if (at + 1 >= p.size()) return "ends with \"\\\"";
      ++at;
    } else if (p[at] == '[') {
      ClassEnd end = ScanClass(p, at + 1);
      if (!end.problem.empty()) return end.problem;
      at = end.next - 1;
    }
  }
  return "";
}

bool ClassMatches(std::string_view p, size_t& at, char c) {
  bool negated = at < p.size() && p[at] == '^';
  if (negated) ++at;
  bool found = false;
  auto single = [&]() {
    if (p[at] == '\\') ++at;
    return static_cast<unsigned char>(p[at++]);
  };
  while (p[at] != ']') {
    unsigned char lo = single(), hi = lo;
    if (p[at] == '-') {
      ++at;
      hi = single();
    }
    auto u = static_cast<unsigned char>(c);
    if (lo <= u && u <= hi) found = true;
  }
  ++at;  // past "]"
  return found != negated;
}

// Matches the whole of `path` against a checked pattern, as the regular
// expression moby/patternmatcher compiles it: "*" and "?" stop at "/",
// "**" at the end matches everything, "**" elsewhere (and "**/") matches
// any number of whole directories, including none.
bool Glob(std::string_view p, size_t pi, std::string_view s, size_t si) {
  while (pi < p.size()) {
    char c = p[pi];
    if (c == '*' && pi + 1 < p.size() && p[pi + 1] == '*') {
      size_t rest = pi + 2;
      if (rest < p.size() && p[rest] == '/') ++rest;
      if (rest >= p.size()) return true;
      if (Glob(p, rest, s, si)) return true;
      for (size_t k = si; k < s.size(); ++k)
        if (s[k] == '/' && Glob(p, rest, s, k + 1)) return true;
      return false;
    }
    if (c == '*') {
      for (size_t k = si;; ++k) {
        if (Glob(p, pi + 1, s, k)) return true;
        if (k >= s.size() || s[k] == '/') return false;
      }
    }
    if (si >= s.size()) return false;
    if (c == '?') {
      if (s[si] == '/') return false;
      ++pi;
    } else if (c == '[') {
      ++pi;
      if (!ClassMatches(p, pi, s[si])) return false;
    } else {
      if (c == '\\') ++pi;
      if (p[pi] != s[si]) return false;
      ++pi;
    }
    ++si;
  }
  return si == s.size();
}

std::string Join(const std::vector<std::string>& segments) {
  std::string out;
  for (size_t i = 0; i < segments.size(); ++i) out += (i ? "/" : "") + segments[i];
  return out;
}

// The rule matches `path` itself or one of its parent directories.
bool RuleMatches(const std::string& pattern, std::string_view path) {
  if (Glob(pattern, 0, path, 0)) return true;
  for (size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1))
    if (Glob(pattern, 0, path.substr(0, slash), 0)) return true;
  return false;
}

}  // namespace

Result<IgnoreRules> IgnoreRules::Parse(std::string_view text, std::string_view file_name) {
  IgnoreRules rules;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line_number = 0;
  while (!text.empty()) {
    size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() == '#') continue;  // only at the very start, as ignorefile
    auto trim = [](std::string_view v) {
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
      while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
      return v;
    };
    line = trim(line);
    if (line.empty()) continue;
    std::string where = std::string(file_name) + ":" + std::to_string(line_number);
    Rule rule;
    rule.exception = line.front() == '!';
    if (rule.exception) line = trim(line.substr(1));
    if (line.empty()) return Error::Invalid(where, "illegal exclusion pattern: \"!\"");
    std::string pattern = CleanPattern(line);
    if (pattern.size() > 1 && pattern.front() == '/') pattern.erase(0, 1);
    if (std::string problem = CheckPattern(pattern); !problem.empty())
      return Error::Invalid(where, "bad pattern \"" + std::string(line) + "\": " + problem);
    size_t at = 0;
    while (true) {
      size_t slash = pattern.find('/', at);
      rule.segments.push_back(pattern.substr(at, slash - at));
      if (slash == std::string::npos) break;
      at = slash + 1;
    }
    rules.rules_.push_back(std::move(rule));
  }
  return rules;
}

bool IgnoreRules::Excludes(std::string_view relative_path) const {
  if (std::find(keep_.begin(), keep_.end(), relative_path) != keep_.end()) return false;
  bool excluded = false;
  for (const Rule& rule : rules_) {
    // An exclusion only matters for a path excluded so far, and the reverse.
    if (rule.exception != excluded) continue;
    if (RuleMatches(Join(rule.segments), relative_path)) excluded = !rule.exception;
  }
  return excluded;
}

bool IgnoreRules::has_exceptions() const {
  return std::any_of(rules_.begin(), rules_.end(), [](const Rule& r) { return r.exception; });
}

bool IgnoreRules::MayReinclude(std::string_view folder) const {
  if (has_exceptions()) return true;
  std::string prefix = std::string(folder) + "/";
  return std::any_of(keep_.begin(), keep_.end(),
                     [&](const std::string& kept) { return kept.starts_with(prefix); });
}

void IgnoreRules::KeepAlways(std::string_view relative_path) {
  keep_.emplace_back(relative_path);
}

}  // namespace baton::content
