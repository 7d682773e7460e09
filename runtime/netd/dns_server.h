#pragma once
// netd's DNS service: UDP and TCP on port 53 of every local baton network's
// gateway address. Cluster names are answered by dns::Resolve from every
// endpoint (this host's and its peers'); other names are relayed over UDP to
// the upstream resolvers, SERVFAIL when none answers within 2 s.
//
// One thread serves everything (poll, 100 ms). Bounds: at most
// kMaxPendingForwards relayed queries and kMaxTcpConnections TCP clients at
// once (more are refused), and TCP clients idle for 5 s are closed.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "runtime/dns/resolve.h"

namespace baton::netd {

inline constexpr size_t kMaxPendingForwards = 256;
inline constexpr size_t kMaxTcpConnections = 32;

class DnsServer {
 public:
  using Log = std::function<void(const std::string&)>;

  // Serves on `port` and relays to upstreams' `upstream_port` (both 53;
  // tests use others); `log` is called from the server thread, one line per
  // socket opened, closed or failing.
  DnsServer(uint16_t port, Log log, uint16_t upstream_port = 53);
  ~DnsServer();  // stops and joins the server thread
  DnsServer(const DnsServer&) = delete;
  DnsServer& operator=(const DnsServer&) = delete;

  void Start();

  // What to serve; any thread. Gateways whose address cannot be bound yet
  // (the bridge has no address yet) are retried every second; those no
  // longer listed are closed.
  void SetGateways(std::vector<std::string> gateways);
  // True when every one of `gateways` is bound (a new gateway is bound
  // within ~100 ms of SetGateways, unless its bridge has no address yet).
  bool Serves(const std::vector<std::string>& gateways) const;
  void SetEndpoints(std::vector<dns::Endpoint> endpoints);
  // Numeric IPv4 resolvers (port 53) for names that are not the cluster's.
  void SetUpstreams(std::vector<std::string> upstreams);

 private:
  class Loop;
  std::shared_ptr<Loop> loop_;
  std::jthread thread_;  // declared last, so it is stopped and joined first
};

}  // namespace baton::netd
