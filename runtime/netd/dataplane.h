#pragma once
// The host side of cluster networking, kept by netd: routes to the other
// hosts' slices, the VXLAN device when a peer is not on this host's layer-2
// segment (or the overlay is forced), and the iptables rules that admit
// cross-host traffic within one network only and keep it un-NATed.
//
// netd runs in a container on the host's network with the host's root
// mounted at /host, and changes the host through the host's own `ip`,
// `bridge` and `iptables` (run chrooted into /host), so its rules use the
// same iptables backend as dockerd's.
//
// Everything netd adds is findable without memory, so a restarted netd or
// `Cleanup` after a crash removes exactly it: routes carry protocol kRouteProtocol,
// the overlay device is kVxlanDevice, and the rules live in netd's own chains
// (BATON-FORWARD jumped to from DOCKER-USER, BATON-POSTROUTING from nat
// POSTROUTING) plus the jumps to them.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/netd/announcement.h"
#include "runtime/netd/netd_config.h"

namespace baton::netd {

inline constexpr int kRouteProtocol = 186;  // "proto 186" on every route netd adds
inline constexpr char kVxlanDevice[] = "baton-vx";

// Runs a host command and returns its standard output; kInternal naming
// the command and its standard error when it exits non-zero.
class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  virtual Result<std::string> Run(const std::vector<std::string>& argv,
                                  std::string_view input = {}) = 0;
};

// fork, chroot(root) (unless root is "/"), exec argv[0] found on the
// standard PATH inside it; no shell anywhere.
std::unique_ptr<CommandRunner> MakeHostCommandRunner(std::string root = "/host");

// A peer's slices, as its announcement told them.
struct RemoteHost {
  Peer peer;              // name and address from the config
  std::string vxlan_mac;  // from its announcement
  std::vector<HostNetwork> networks;
};

struct DataplaneInput {
  std::vector<HostNetwork> local;  // this host's baton networks
  std::vector<RemoteHost> remote;  // every peer heard from
};

class Dataplane {
 public:
  Dataplane(const NetdConfig& config, CommandRunner& runner);
  // Sets up what does not depend on peers (chains, jumps, the VXLAN device
  // when it may be needed) and reads back this host's overlay MAC.
  Status Start();
  // Makes routes, neighbours, forwarding entries and rules exactly what
  // `input` asks, removing what it no longer asks. Idempotent; cheap when
  // nothing changed since the last call.
  Status Apply(const DataplaneInput& input);
  // Removes everything netd adds (see above), whatever state it is in.
  Status Cleanup();
  // This host's overlay device MAC, "" when it has none; peers route to it.
  const std::string& vxlan_mac() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace baton::netd
