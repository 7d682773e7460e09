#pragma once
// Reading netd's own engine: the Docker API replies that tell it this host's
// baton networks (label baton.subnet) and the containers on them. Pure, so
// the rules are tested on JSON text; engine_watch.h does the asking.

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/dns/resolve.h"
#include "runtime/netd/announcement.h"

namespace baton::netd {

// What one engine has: the part of an Announcement netd learns locally.
struct EngineState {
  std::vector<HostNetwork> networks;     // sorted by name
  std::vector<dns::Endpoint> endpoints;  // sorted by network, then container

  bool operator==(const EngineState& other) const;
};

// The networks of GET /networks?filters={"label":["baton.subnet"]}. The subnet
// is the label's (a network whose label is not an IPv4 CIDR is skipped); the
// gateway is the IPAM config's for that subnet, else the subnet's first
// address. kInvalid when the reply is not a JSON array.
Result<std::vector<HostNetwork>> ParseBatonNetworks(std::string_view json);

// Ids of the containers in GET /containers/json?all=1 attached to any of
// `networks`. kInvalid when the reply is not a JSON array.
Result<std::vector<std::string>> ContainersOnNetworks(std::string_view json,
                                                      const std::vector<HostNetwork>& networks);

// One endpoint per network of `networks` that the container of GET
// /containers/{id}/json has an IPv4 address on. ready = State.Running and
// (no healthcheck, or Health.Status "healthy"); aliases from the label
// baton.aliases ({"shop_back":["cache"]}; unreadable means none). kInvalid
// when the reply is not a JSON object.
Result<std::vector<dns::Endpoint>> ParseContainerEndpoints(
    std::string_view json, const std::vector<HostNetwork>& networks);

}  // namespace baton::netd
