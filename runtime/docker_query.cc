#include "runtime/docker_query.h"

#include <nlohmann/json.hpp>

namespace baton::runtime {

std::string UrlEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string FiltersJson(const Filters& filters) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, values] : filters) j[key] = values;
  // Replacing bad UTF-8 keeps dump() from throwing on arbitrary label text.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

QueryString& QueryString::Add(std::string_view key, std::string_view value) {
  query_ += query_.empty() ? '?' : '&';
  query_ += key;
  query_ += '=';
  query_ += UrlEscape(value);
  return *this;
}

QueryString& QueryString::Flag(std::string_view key, bool flag) {
  return flag ? Add(key, "1") : *this;
}

QueryString& QueryString::AddFilters(const Filters& filters) {
  return filters.empty() ? *this : Add("filters", FiltersJson(filters));
}

}  // namespace baton::runtime
