#pragma once
// Building Docker API request targets: escaped path segments, query strings
// and the JSON `filters` parameter. Pure functions; no I/O.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace baton::runtime {

// Docker list and event filters: {"label": {"baton.project=shop"}, "type": {"container"}}.
// Several values under one key match any of them; different keys must all match.
using Filters = std::map<std::string, std::vector<std::string>>;

// Percent-encodes everything except RFC 3986 unreserved characters, so any
// user-supplied name is safe as one path segment or one query value.
std::string UrlEscape(std::string_view text);

// Encodes `filters` as Docker expects in `?filters=`: a JSON object of string
// arrays (not yet URL-escaped). An empty map gives "{}".
std::string FiltersJson(const Filters& filters);

// Accumulates "?a=1&b=x%20y" in insertion order. Values are escaped here,
// keys are trusted constants from the client code.
class QueryString {
 public:
  QueryString& Add(std::string_view key, std::string_view value);
  // Adds key=1 when `flag` is true, nothing otherwise (Docker's boolean form).
  QueryString& Flag(std::string_view key, bool flag);
  // Adds filters=... unless `filters` is empty.
  QueryString& AddFilters(const Filters& filters);
  // "" when nothing was added, else "?k=v&...".
  std::string str() const { return query_; }

 private:
  std::string query_;
};

}  // namespace baton::runtime
