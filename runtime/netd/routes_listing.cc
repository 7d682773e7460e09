// Reads what iproute2 lists (`ip -j`, `bridge -j`), so the dataplane compares
// the kernel's state with what it wants instead of trusting its memory.

#include <nlohmann/json.hpp>

#include "runtime/netd/routes.h"

namespace baton::netd {
namespace {

using nlohmann::json;

std::string StringAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

bool ListHas(const json& object, const char* key, std::string_view value) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return false;
  for (const json& item : *it)
    if (item.is_string() && item.get<std::string>() == value) return true;
  return false;
}

// The array `text` holds; an empty listing may also be empty output.
Result<json> ParseArray(const std::string& text, const char* what) {
  if (text.find_first_not_of(" \n\t") == std::string::npos) return json::array();
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array())
    return Error::Internal("", "unreadable " + std::string(what) + " listing");
  return parsed;
}

}  // namespace

Result<std::vector<Route>> ParseRouteListing(const std::string& text) {
  auto items = ParseArray(text, "route");
  if (!items.ok()) return items.error();
  std::vector<Route> routes;
  for (const json& item : *items) {
    if (!item.is_object()) continue;
    std::string dst = StringAt(item, "dst");
    // A single address lists without its /32.
    if (!dst.empty() && dst.find('/') == std::string::npos) dst += "/32";
    routes.push_back(
        {dst, StringAt(item, "gateway"), StringAt(item, "dev"), ListHas(item, "flags", "onlink")});
  }
  return routes;
}

Result<std::vector<FdbEntry>> ParseFdbListing(const std::string& text) {
  auto items = ParseArray(text, "forwarding");
  if (!items.ok()) return items.error();
  std::vector<FdbEntry> entries;
  for (const json& item : *items)
    if (item.is_object()) entries.push_back({StringAt(item, "mac"), StringAt(item, "dst")});
  return entries;
}

Result<std::vector<NeighbourEntry>> ParseNeighbourListing(const std::string& text) {
  auto items = ParseArray(text, "neighbour");
  if (!items.ok()) return items.error();
  std::vector<NeighbourEntry> entries;
  for (const json& item : *items) {
    if (!item.is_object() || !ListHas(item, "state", "PERMANENT")) continue;
    std::string address = StringAt(item, "dst");
    if (address.find(':') != std::string::npos) continue;  // IPv6
    entries.push_back({address, StringAt(item, "lladdr")});
  }
  return entries;
}

bool RouteGetIsOnLink(std::string_view output) {
  return output.find(" via ") == std::string_view::npos;
}

bool RouteMatches(const Route& want, const Route& have) {
  return want.dst == have.dst && want.via == have.via && want.onlink == have.onlink &&
         (want.dev.empty() || want.dev == have.dev);
}

std::vector<std::string> RouteReplaceCommand(const Route& route) {
  std::vector<std::string> argv = {"ip", "route", "replace", route.dst, "via", route.via};
  if (!route.dev.empty()) argv.insert(argv.end(), {"dev", route.dev});
  if (route.onlink) argv.push_back("onlink");
  argv.insert(argv.end(), {"proto", std::to_string(kRouteProtocol)});
  return argv;
}

}  // namespace baton::netd
