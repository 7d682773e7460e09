// networks and network_mode: each service network joined under its engine
// name with the service name as alias, the highest priority one (then the
// first by compose key) as the network the container is created on. The
// Docker client connects the others after create on engines before API 1.44.
// On spanned networks (those with a slice on this host) the names are
// netd's to answer: no Docker aliases, the compose ones in baton.aliases.

#include <algorithm>
#include <nlohmann/json.hpp>

#include "planner/labels.h"
#include "runtime/container_spec_parts.h"
#include "runtime/slice_gateway.h"

namespace baton::runtime::container_spec {
namespace {

// Endpoint settings ContainerSpec has no field for, and that cannot go
// through `extra` either, since older engines join the extra networks
// by a separate connect call.
Status CheckEndpointOptions(const compose::ServiceNetwork& options, const std::string& where) {
  const char* key = !options.ipv6_address.empty()     ? "ipv6_address"
                    : !options.mac_address.empty()    ? "mac_address"
                    : !options.interface_name.empty() ? "interface_name"
                    : !options.link_local_ips.empty() ? "link_local_ips"
                    : !options.driver_opts.empty()    ? "driver_opts"
                    : options.gw_priority             ? "gw_priority"
                                                      : nullptr;
  if (key == nullptr) return Status::Ok();
  return Error::Invalid(where, std::string(key) + " is not supported yet");
}

void AddUnique(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

// The endpoint on one network; on a spanned one (`spanned`) its compose
// aliases go to `cluster_aliases` instead of Docker.
Result<EndpointSpec> Endpoint(const SpecInput& in,
                              const std::optional<compose::ServiceNetwork>& options,
                              const std::string& where, bool spanned,
                              std::vector<std::string>& cluster_aliases) {
  EndpointSpec endpoint;
  if (!spanned) endpoint.aliases.push_back(in.spec.name);
  if (!options) return endpoint;
  if (Status s = CheckEndpointOptions(*options, where); !s.ok()) return std::move(s).error();
  for (const std::string& alias : options->aliases)
    AddUnique(spanned ? cluster_aliases : endpoint.aliases, alias);
  endpoint.ipv4_address = options->ipv4_address;
  return endpoint;
}

const planner::NetworkSpec* FindNetwork(const SpecInput& in, const std::string& key) {
  for (const planner::NetworkSpec& network : in.desired.networks)
    if (network.key == key) return &network;
  return nullptr;
}

// "service:db" shares the network stack of db's first replica, which the
// placement must put on the same host; other modes go to the engine as
// written.
Result<std::string> NetworkMode(const SpecInput& in) {
  const std::string& mode = in.service.network_mode;
  if (!mode.starts_with("service:")) return mode;
  std::string name = mode.substr(std::string_view("service:").size());
  const planner::ServiceSpec* other = in.desired.FindService(name);
  if (other == nullptr)
    return Error::Invalid(in.Where("network_mode"), "service \"" + name + "\" is not enabled");
  return "container:" + planner::ContainerName(in.desired.project, *other, 1);
}

}  // namespace

Status AddNetworks(const SpecInput& in, ContainerSpec& spec) {
  if (!in.service.network_mode.empty()) {
    auto mode = NetworkMode(in);
    if (!mode.ok()) return std::move(mode).error();
    spec.host_config.network_mode = *mode;
    return Status::Ok();
  }
  int best_priority = 0;
  nlohmann::json cluster_aliases = nlohmann::json::object();
  for (const auto& [key, options] : in.service.networks) {
    std::string where = in.Where(in.Path("networks").Key(key), "networks");
    const planner::NetworkSpec* network = FindNetwork(in, key);
    if (network == nullptr) return Error::Invalid(where, "undefined network \"" + key + "\"");
    const std::string& name = network->network.name;
    std::vector<std::string> aliases;
    auto endpoint = Endpoint(in, options, where, in.slices.contains(name), aliases);
    if (!endpoint.ok()) return std::move(endpoint).error();
    if (!aliases.empty()) cluster_aliases[name] = aliases;
    spec.networks[name] = std::move(*endpoint);
    int priority = options && options->priority ? *options->priority : 0;
    if (spec.host_config.network_mode.empty() || priority > best_priority) {
      spec.host_config.network_mode = network->network.name;
      best_priority = priority;
    }
  }
  if (!cluster_aliases.empty()) spec.labels[planner::labels::kAliases] = cluster_aliases.dump();
  return Status::Ok();
}

std::optional<std::string> ClusterDnsServer(const SpecInput& in, const ContainerSpec& spec) {
  auto primary = in.slices.find(spec.host_config.network_mode);
  if (primary != in.slices.end() && spec.networks.contains(primary->first))
    return SliceGateway(primary->second);
  for (const auto& [name, endpoint] : spec.networks)
    if (auto slice = in.slices.find(name); slice != in.slices.end())
      return SliceGateway(slice->second);
  return std::nullopt;
}

}  // namespace baton::runtime::container_spec
