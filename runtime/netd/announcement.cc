#include "runtime/netd/announcement.h"

#include <nlohmann/json.hpp>

#include "runtime/netd/ipv4.h"
#include "runtime/netd/json_fields.h"

namespace baton::netd {
namespace {

constexpr char kWhere[] = "announcement";

nlohmann::json EndpointJson(const dns::Endpoint& endpoint) {
  nlohmann::json json = {
      {"network", endpoint.network}, {"ipv4", FormatIpv4(endpoint.ipv4)},
      {"service", endpoint.service}, {"container", endpoint.container},
      {"aliases", endpoint.aliases}, {"ready", endpoint.ready},
  };
  if (!endpoint.project.empty()) json["project"] = endpoint.project;
  if (endpoint.slot > 0) json["slot"] = endpoint.slot;
  if (!endpoint.spec_hash.empty()) json["spec_hash"] = endpoint.spec_hash;
  return json;
}

Result<std::map<std::string, uint64_t>> ParseGenerations(const nlohmann::json& root) {
  std::map<std::string, uint64_t> generations;
  auto member = root.find("generations");
  if (member == root.end() || member->is_null()) return generations;
  if (!member->is_object()) return Error::Invalid(kWhere, "generations: expected an object");
  for (const auto& [project, generation] : member->items()) {
    if (!generation.is_number_unsigned())
      return Error::Invalid(kWhere, "generations." + project + ": expected a generation");
    generations[project] = generation.get<uint64_t>();
  }
  return generations;
}

// {project: {service: {slot: text}}}: placements (text = host) and held
// slots (text = spec hash) have this shape.
nlohmann::json SlotMapsJson(const std::map<std::string, SlotPlacement>& by_project) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [project, services] : by_project) {
    nlohmann::json project_json = nlohmann::json::object();
    for (const auto& [service, slots] : services) {
      nlohmann::json slots_json = nlohmann::json::object();
      for (const auto& [slot, text] : slots) slots_json[std::to_string(slot)] = text;
      project_json[service] = std::move(slots_json);
    }
    json[project] = std::move(project_json);
  }
  return json;
}

// "1".."1048576" -> slot; 0 when not such a decimal.
int SlotKey(const std::string& key) {
  if (key.empty() || key.size() > 7 || key[0] == '0') return 0;
  if (key.find_first_not_of("0123456789") != std::string::npos) return 0;
  int slot = std::stoi(key);
  return slot <= 1 << 20 ? slot : 0;
}

// {service: {slot: text}}; `what` names the text in the error ("host").
Result<SlotPlacement> ParseSlotMap(const nlohmann::json& services, const std::string& path,
                                   const std::string& what) {
  const std::string expected = ": expected {service: {slot: " + what + "}}";
  if (!services.is_object()) return Error::Invalid(kWhere, path + expected);
  SlotPlacement map;
  for (const auto& [service, slots] : services.items()) {
    if (!slots.is_object()) return Error::Invalid(kWhere, path + expected);
    std::map<int, std::string>& texts = map[service];
    for (const auto& [key, text] : slots.items()) {
      int slot = SlotKey(key);
      if (slot == 0 || !text.is_string()) return Error::Invalid(kWhere, path + expected);
      texts[slot] = text.get<std::string>();
    }
  }
  return map;
}

// {service: hash}.
Result<ServiceSpecHashes> ParseSpecHashes(const nlohmann::json& services, const std::string& path) {
  if (!services.is_object())
    return Error::Invalid(kWhere, path + ": expected {service: spec hash}");
  ServiceSpecHashes hashes;
  for (const auto& [service, hash] : services.items()) {
    if (!hash.is_string()) return Error::Invalid(kWhere, path + ": expected {service: spec hash}");
    hashes[service] = hash.get<std::string>();
  }
  return hashes;
}

// The optional member `key` of `root`: {project: T}, each T read by `parse`
// (called with the project's value and the path "key.project").
template <typename T, typename Parse>
Result<std::map<std::string, T>> ParseByProject(const nlohmann::json& root, const std::string& key,
                                                Parse parse) {
  std::map<std::string, T> by_project;
  auto member = root.find(key);
  if (member == root.end() || member->is_null()) return by_project;
  if (!member->is_object()) return Error::Invalid(kWhere, key + ": expected an object");
  for (const auto& [project, value] : member->items()) {
    Result<T> parsed = parse(value, key + "." + project);
    if (!parsed.ok()) return parsed.error();
    by_project[project] = std::move(*parsed);
  }
  return by_project;
}

// The record members: placements, spec hashes and held slots by project.
Status ParseRecords(const nlohmann::json& root, Announcement& out) {
  auto placements = ParseByProject<SlotPlacement>(
      root, "placements", [](const auto& v, const auto& p) { return ParseSlotMap(v, p, "host"); });
  if (!placements.ok()) return placements.error();
  auto spec_hashes = ParseByProject<ServiceSpecHashes>(root, "spec_hashes", ParseSpecHashes);
  if (!spec_hashes.ok()) return spec_hashes.error();
  auto held = ParseByProject<HeldSpecs>(
      root, "held", [](const auto& v, const auto& p) { return ParseSlotMap(v, p, "spec hash"); });
  if (!held.ok()) return held.error();
  out.placements = std::move(*placements);
  out.spec_hashes = std::move(*spec_hashes);
  out.held = std::move(*held);
  return Status::Ok();
}

Result<HostNetwork> ParseNetwork(const nlohmann::json& item, const std::string& path) {
  JsonFields fields(item, kWhere, path);
  if (auto s = fields.ExpectObject(); !s.ok()) return s.error();
  auto name = fields.String("name", "", true);
  auto subnet = fields.String("subnet", "", true);
  auto gateway = fields.String("gateway", "", true);
  if (!name.ok()) return name.error();
  if (!subnet.ok()) return subnet.error();
  if (!gateway.ok()) return gateway.error();
  if (!ParseIpv4Cidr(*subnet)) return fields.Invalid("subnet", "not an IPv4 CIDR");
  if (!ParseIpv4(*gateway)) return fields.Invalid("gateway", "not an IPv4 address");
  return HostNetwork{*name, *subnet, *gateway};
}

Result<std::vector<std::string>> ParseAliases(const JsonFields& fields) {
  auto array = fields.Array("aliases");
  if (!array.ok()) return array.error();
  std::vector<std::string> aliases;
  for (const nlohmann::json& alias : *array) {
    if (!alias.is_string()) return fields.Invalid("aliases", "expected strings");
    aliases.push_back(alias.get<std::string>());
  }
  return aliases;
}

Result<dns::Endpoint> ParseEndpoint(const nlohmann::json& item, const std::string& path) {
  JsonFields fields(item, kWhere, path);
  if (auto s = fields.ExpectObject(); !s.ok()) return s.error();
  auto network = fields.String("network", "", true);
  auto ipv4 = fields.String("ipv4", "", true);
  auto service = fields.String("service");
  auto container = fields.String("container");
  auto ready = fields.Bool("ready", false);
  auto aliases = ParseAliases(fields);
  auto project = fields.String("project");
  auto slot = fields.Unsigned("slot", 0, 0, 1u << 20);
  auto spec_hash = fields.String("spec_hash");
  if (!network.ok()) return network.error();
  if (!ipv4.ok()) return ipv4.error();
  if (!service.ok()) return service.error();
  if (!container.ok()) return container.error();
  if (!ready.ok()) return ready.error();
  if (!aliases.ok()) return aliases.error();
  if (!project.ok()) return project.error();
  if (!slot.ok()) return slot.error();
  if (!spec_hash.ok()) return spec_hash.error();
  auto address = ParseIpv4(*ipv4);
  if (!address) return fields.Invalid("ipv4", "not an IPv4 address");
  return dns::Endpoint{*network,
                       *address,
                       *service,
                       *container,
                       std::move(*aliases),
                       *ready,
                       *project,
                       static_cast<int>(*slot),
                       *spec_hash};
}

// Fills `out` from `array` with `parse` applied to each element ("networks[2]").
template <typename T, typename Parse>
Status ParseEach(const nlohmann::json& array, const std::string& key, Parse parse,
                 std::vector<T>& out) {
  for (size_t i = 0; i < array.size(); ++i) {
    auto item = parse(array[i], key + "[" + std::to_string(i) + "]");
    if (!item.ok()) return item.error();
    out.push_back(std::move(*item));
  }
  return Status::Ok();
}

}  // namespace

std::string ToJsonLine(const Announcement& announcement) {
  nlohmann::json networks = nlohmann::json::array();
  for (const HostNetwork& network : announcement.networks) {
    networks.push_back(
        {{"name", network.name}, {"subnet", network.subnet}, {"gateway", network.gateway}});
  }
  nlohmann::json endpoints = nlohmann::json::array();
  for (const dns::Endpoint& endpoint : announcement.endpoints) {
    endpoints.push_back(EndpointJson(endpoint));
  }
  nlohmann::json json = {
      {"host", announcement.host},
      {"vxlan_mac", announcement.vxlan_mac},
      {"networks", std::move(networks)},
      {"endpoints", std::move(endpoints)},
  };
  if (!announcement.generations.empty()) json["generations"] = announcement.generations;
  if (!announcement.placements.empty()) json["placements"] = SlotMapsJson(announcement.placements);
  if (!announcement.spec_hashes.empty()) json["spec_hashes"] = announcement.spec_hashes;
  if (!announcement.held.empty()) json["held"] = SlotMapsJson(announcement.held);
  // Invalid UTF-8 in a container name must not throw: replace it.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<Announcement> ParseAnnouncement(const std::string& line) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    return Error::Invalid(kWhere, "not json");
  }
  // Unknown members are ignored: a newer peer may add some during an upgrade.
  JsonFields fields(root, kWhere, "");
  if (auto s = fields.ExpectObject(); !s.ok()) return s.error();
  Announcement announcement;
  auto host = fields.String("host", "", true);
  auto mac = fields.String("vxlan_mac");
  auto networks = fields.Array("networks");
  auto endpoints = fields.Array("endpoints");
  if (!host.ok()) return host.error();
  if (host->empty()) return fields.Invalid("host", "empty");
  if (!mac.ok()) return mac.error();
  if (!networks.ok()) return networks.error();
  if (!endpoints.ok()) return endpoints.error();
  auto generations = ParseGenerations(root);
  if (!generations.ok()) return generations.error();
  if (Status s = ParseRecords(root, announcement); !s.ok()) return s.error();
  announcement.host = *host;
  announcement.vxlan_mac = *mac;
  announcement.generations = std::move(*generations);
  if (auto s = ParseEach(*networks, "networks", ParseNetwork, announcement.networks); !s.ok()) {
    return s.error();
  }
  if (auto s = ParseEach(*endpoints, "endpoints", ParseEndpoint, announcement.endpoints); !s.ok()) {
    return s.error();
  }
  return announcement;
}

}  // namespace baton::netd
