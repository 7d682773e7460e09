#include "runtime/netd/netd_config.h"

#include <nlohmann/json.hpp>
#include <set>

#include "runtime/netd/ipv4.h"
#include "runtime/netd/json_fields.h"

namespace baton::netd {
namespace {

constexpr char kWhere[] = "netd config";

Result<OverlayMode> ParseOverlayMode(const JsonFields& fields) {
  auto name = fields.String("overlay", "auto");
  if (!name.ok()) return name.error();
  for (OverlayMode mode : {OverlayMode::kAuto, OverlayMode::kRoutes, OverlayMode::kVxlan}) {
    if (*name == OverlayModeName(mode)) return mode;
  }
  return fields.Invalid("overlay", "unknown mode \"" + *name + "\" (auto, routes, vxlan)");
}

Result<std::vector<std::string>> ParseUpstreams(const JsonFields& fields) {
  auto array = fields.Array("dns_upstream");
  if (!array.ok()) return array.error();
  std::vector<std::string> upstreams;
  for (size_t i = 0; i < array->size(); ++i) {
    const nlohmann::json& item = (*array)[i];
    std::string key = "dns_upstream[" + std::to_string(i) + "]";
    if (!item.is_string() || !ParseIpv4(item.get<std::string>())) {
      return Error::Invalid(kWhere, key + ": expected an IPv4 address");
    }
    upstreams.push_back(item.get<std::string>());
  }
  return upstreams;
}

Result<Peer> ParsePeer(const nlohmann::json& item, const std::string& path) {
  JsonFields fields(item, kWhere, path);
  if (auto s = fields.ExpectObject(); !s.ok()) return s.error();
  if (auto s = fields.RejectUnknown({"name", "address"}); !s.ok()) return s.error();
  Peer peer;
  auto name = fields.String("name", "", true);
  if (!name.ok()) return name.error();
  if (name->empty()) return fields.Invalid("name", "empty");
  auto address = fields.String("address", "", true);
  if (!address.ok()) return address.error();
  if (!ParseIpv4(*address)) {
    return fields.Invalid("address", "\"" + *address + "\" is not an IPv4 address");
  }
  return Peer{*name, *address};
}

Result<std::vector<Peer>> ParsePeers(const JsonFields& fields) {
  auto array = fields.Array("hosts");
  if (!array.ok()) return array.error();
  std::vector<Peer> peers;
  std::set<std::string> names;
  for (size_t i = 0; i < array->size(); ++i) {
    std::string path = "hosts[" + std::to_string(i) + "]";
    auto peer = ParsePeer((*array)[i], path);
    if (!peer.ok()) return peer.error();
    if (!names.insert(peer->name).second) {
      return Error::Invalid(kWhere, path + ".name: duplicate \"" + peer->name + "\"");
    }
    peers.push_back(std::move(*peer));
  }
  return peers;
}

// The scalar members; `config` keeps its defaults for missing ones.
Status ParseScalars(const JsonFields& fields, NetdConfig& config) {
  auto host = fields.String("host", "", true);
  if (!host.ok()) return host.error();
  config.host = *host;
  auto cluster = fields.String("cluster", config.cluster);
  if (!cluster.ok()) return cluster.error();
  if (!ParseIpv4Cidr(*cluster)) {
    return fields.Invalid("cluster", "\"" + *cluster + "\" is not an IPv4 CIDR");
  }
  config.cluster = *cluster;
  auto overlay = ParseOverlayMode(fields);
  if (!overlay.ok()) return overlay.error();
  config.overlay = *overlay;
  auto sync_port = fields.Unsigned("sync_port", config.sync_port, 1, 65535);
  auto vxlan_id = fields.Unsigned("vxlan_id", config.vxlan_id, 1, 0xffffff);
  auto vxlan_port = fields.Unsigned("vxlan_port", config.vxlan_port, 1, 65535);
  if (!sync_port.ok()) return sync_port.error();
  if (!vxlan_id.ok()) return vxlan_id.error();
  if (!vxlan_port.ok()) return vxlan_port.error();
  config.sync_port = static_cast<uint16_t>(*sync_port);
  config.vxlan_id = static_cast<uint32_t>(*vxlan_id);
  config.vxlan_port = static_cast<uint16_t>(*vxlan_port);
  return Status::Ok();
}

}  // namespace

const Peer* NetdConfig::Self() const {
  for (const Peer& peer : hosts) {
    if (peer.name == host) return &peer;
  }
  return nullptr;
}

std::string OverlayModeName(OverlayMode mode) {
  switch (mode) {
    case OverlayMode::kAuto:
      return "auto";
    case OverlayMode::kRoutes:
      return "routes";
    case OverlayMode::kVxlan:
      return "vxlan";
  }
  return "auto";
}

std::string ToJson(const NetdConfig& config) {
  // nlohmann::json objects keep their keys sorted, so the bytes are canonical.
  nlohmann::json hosts = nlohmann::json::array();
  for (const Peer& peer : config.hosts) {
    hosts.push_back({{"name", peer.name}, {"address", peer.address}});
  }
  nlohmann::json json = {
      {"host", config.host},
      {"cluster", config.cluster},
      {"overlay", OverlayModeName(config.overlay)},
      {"sync_port", config.sync_port},
      {"vxlan_id", config.vxlan_id},
      {"vxlan_port", config.vxlan_port},
      {"dns_upstream", config.dns_upstream},
      {"hosts", std::move(hosts)},
  };
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<NetdConfig> ParseNetdConfig(const std::string& json) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    return Error::Invalid(kWhere, "not json (byte " + std::to_string(e.byte) + ")");
  }
  JsonFields fields(root, kWhere, "");
  if (auto s = fields.ExpectObject(); !s.ok()) return s.error();
  if (auto s = fields.RejectUnknown({"host", "cluster", "overlay", "sync_port", "vxlan_id",
                                     "vxlan_port", "dns_upstream", "hosts"});
      !s.ok()) {
    return s.error();
  }
  NetdConfig config;
  if (auto s = ParseScalars(fields, config); !s.ok()) return s.error();
  auto upstreams = ParseUpstreams(fields);
  if (!upstreams.ok()) return upstreams.error();
  config.dns_upstream = std::move(*upstreams);
  auto peers = ParsePeers(fields);
  if (!peers.ok()) return peers.error();
  config.hosts = std::move(*peers);
  if (config.Self() == nullptr) {
    return fields.Invalid("host", "\"" + config.host + "\" is not among hosts");
  }
  return config;
}

}  // namespace baton::netd
