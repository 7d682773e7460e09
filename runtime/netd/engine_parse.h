#pragma once
// Reading netd's own engine: the Docker API replies that tell it this host's
// baton networks (label baton.subnet) and the containers on them. Pure, so
// the rules are tested on JSON text; engine_watch.h does the asking.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/dns/resolve.h"
#include "runtime/netd/announcement.h"
#include "runtime/netd/fence.h"

namespace baton::netd {

// A running container with an x-baton.readiness probe (label
// baton.readiness), which netd runs (readiness_probe.h).
struct ProbedContainer {
  std::string id;
  std::string name;        // without the leading slash, as dns::Endpoint::container
  std::string started_at;  // State.StartedAt: a restart starts the probe over
  std::string readiness;   // the label's text
  bool operator==(const ProbedContainer&) const = default;
};

// What one engine has: the part of an Announcement netd learns locally.
struct EngineState {
  std::vector<HostNetwork> networks;      // sorted by name
  std::vector<dns::Endpoint> endpoints;   // sorted by network, then container
  std::vector<ProbedContainer> probed{};  // sorted by name
  FenceView records{};                    // the newest state record per project

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
// /containers/{id}/json has an IPv4 address on. ready = State.Running and,
// without a baton.readiness label, (no healthcheck, or Health.Status
// "healthy"); with one, the daemon ANDs in its probe (and, for every
// endpoint, the fence). Aliases from the label baton.aliases
// ({"shop_back":["cache"]}; unreadable means none); project and slot from
// com.docker.compose.project and baton.slot (else container-number), spec
// hash from baton.spec-hash ("" without it).
// kInvalid when the reply is not a JSON object.
Result<std::vector<dns::Endpoint>> ParseContainerEndpoints(
    std::string_view json, const std::vector<HostNetwork>& networks);

// The container of GET /containers/{id}/json when it runs and carries a
// baton.readiness label; nullopt otherwise (also for unreadable JSON).
std::optional<ProbedContainer> ParseProbedContainer(std::string_view json);

}  // namespace baton::netd
