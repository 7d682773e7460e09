#include "runtime/netd/engine_parse.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <tuple>

#include "planner/labels.h"
#include "runtime/netd/ipv4.h"

namespace baton::netd {
namespace {

namespace labels = planner::labels;
using nlohmann::json;

Result<json> ParseJson(std::string_view text, bool want_array, const char* what) {
  json parsed = json::parse(text, nullptr, false);  // no exceptions: discarded on error
  if (parsed.is_discarded() || (want_array ? !parsed.is_array() : !parsed.is_object())) {
    return Error::Invalid("engine", std::string("unreadable ") + what);
  }
  return parsed;
}

// `object[key]` as a string, "" when missing or not a string.
std::string StringAt(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

const json& MemberAt(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string GatewayOf(const json& network, const Ipv4Cidr& subnet) {
  const json& configs = MemberAt(MemberAt(network, "IPAM"), "Config");
  if (configs.is_array()) {
    for (const json& config : configs) {
      auto cidr = ParseIpv4Cidr(StringAt(config, "Subnet"));
      auto gateway = ParseIpv4(StringAt(config, "Gateway"));
      if (cidr && cidr->network == subnet.network && gateway) return FormatIpv4(*gateway);
    }
  }
  return FormatIpv4(subnet.network + 1);
}

std::vector<std::string> AliasesOn(const json& labels_json, const std::string& network) {
  json aliases = json::parse(StringAt(labels_json, labels::kAliases), nullptr, false);
  const json& list = MemberAt(aliases, network.c_str());
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const json& alias : list) {
    if (alias.is_string()) out.push_back(alias.get<std::string>());
  }
  return out;
}

bool IsRunning(const json& state) {
  const json& running = MemberAt(state, "Running");
  return running.is_boolean() && running.get<bool>();
}

// With a readiness probe the engine's health does not gate DNS (issue 6:
// liveness replaces, readiness only hides); netd's probe does instead.
bool IsReady(const json& state, bool probed) {
  if (!IsRunning(state)) return false;
  const json& health = MemberAt(state, "Health");
  return probed || health.is_null() || StringAt(health, "Status") == "healthy";
}

int SlotOf(const json& config_labels) {
  for (const char* key : {labels::kSlot, labels::kContainerNumber}) {
    std::string text = StringAt(config_labels, key);
    int slot = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), slot);
    if (!text.empty() && error == std::errc() && end == text.data() + text.size() && slot > 0)
      return slot;
  }
  return 0;
}

std::string NameOf(const json& container) {
  std::string name = StringAt(container, "Name");
  if (!name.empty() && name[0] == '/') name.erase(0, 1);
  return name;
}

}  // namespace

bool EngineState::operator==(const EngineState& other) const {
  auto net_key = [](const HostNetwork& n) { return std::tie(n.name, n.subnet, n.gateway); };
  auto end_key = [](const dns::Endpoint& e) {
    return std::tie(e.network, e.ipv4, e.service, e.container, e.aliases, e.ready, e.project,
                    e.slot, e.spec_hash);
  };
  return std::equal(networks.begin(), networks.end(), other.networks.begin(), other.networks.end(),
                    [&](const auto& a, const auto& b) { return net_key(a) == net_key(b); }) &&
         std::equal(endpoints.begin(), endpoints.end(), other.endpoints.begin(),
                    other.endpoints.end(),
                    [&](const auto& a, const auto& b) { return end_key(a) == end_key(b); }) &&
         probed == other.probed && records == other.records;
}

Result<std::vector<HostNetwork>> ParseBatonNetworks(std::string_view text) {
  auto list = ParseJson(text, true, "network list");
  if (!list.ok()) return list.error();
  std::vector<HostNetwork> networks;
  for (const json& network : *list) {
    std::string name = StringAt(network, "Name");
    std::string label = StringAt(MemberAt(network, "Labels"), labels::kSubnet);
    auto subnet = ParseIpv4Cidr(label);
    if (name.empty() || !subnet) continue;
    networks.push_back({name, label, GatewayOf(network, *subnet)});
  }
  std::sort(networks.begin(), networks.end(),
            [](const HostNetwork& a, const HostNetwork& b) { return a.name < b.name; });
  return networks;
}

Result<std::vector<std::string>> ContainersOnNetworks(std::string_view text,
                                                      const std::vector<HostNetwork>& networks) {
  auto list = ParseJson(text, true, "container list");
  if (!list.ok()) return list.error();
  std::vector<std::string> ids;
  for (const json& container : *list) {
    const json& attached = MemberAt(MemberAt(container, "NetworkSettings"), "Networks");
    bool on_baton_network = std::any_of(networks.begin(), networks.end(), [&](const auto& n) {
      return attached.is_object() && attached.contains(n.name);
    });
    std::string id = StringAt(container, "Id");
    // The id goes into a request target: take only what an engine id can be.
    bool hex = !id.empty() && id.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (on_baton_network && hex) ids.push_back(id);
  }
  return ids;
}

Result<std::vector<dns::Endpoint>> ParseContainerEndpoints(
    std::string_view text, const std::vector<HostNetwork>& networks) {
  auto container = ParseJson(text, false, "container");
  if (!container.ok()) return container.error();
  const json& config_labels = MemberAt(MemberAt(*container, "Config"), "Labels");
  const json& attached = MemberAt(MemberAt(*container, "NetworkSettings"), "Networks");
  std::string name = NameOf(*container);
  bool probed = !StringAt(config_labels, labels::kReadiness).empty();
  std::vector<dns::Endpoint> endpoints;
  for (const HostNetwork& network : networks) {
    auto address = ParseIpv4(StringAt(MemberAt(attached, network.name.c_str()), "IPAddress"));
    if (!address) continue;  // not attached, or stopped (no address)
    endpoints.push_back({network.name, *address, StringAt(config_labels, labels::kService), name,
                         AliasesOn(config_labels, network.name),
                         IsReady(MemberAt(*container, "State"), probed),
                         StringAt(config_labels, labels::kProject), SlotOf(config_labels),
                         StringAt(config_labels, labels::kSpecHash)});
  }
  return endpoints;
}

std::optional<ProbedContainer> ParseProbedContainer(std::string_view text) {
  auto container = ParseJson(text, false, "container");
  if (!container.ok()) return std::nullopt;
  const json& state = MemberAt(*container, "State");
  std::string readiness =
      StringAt(MemberAt(MemberAt(*container, "Config"), "Labels"), labels::kReadiness);
  if (readiness.empty() || !IsRunning(state)) return std::nullopt;
  return ProbedContainer{StringAt(*container, "Id"), NameOf(*container),
                         StringAt(state, "StartedAt"), readiness};
}

}  // namespace baton::netd
