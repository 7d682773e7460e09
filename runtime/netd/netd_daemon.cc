#include "runtime/netd/netd_daemon.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>

#include "runtime/netd/dns_server.h"
#include "runtime/netd/engine_watch.h"
#include "runtime/netd/fence.h"
#include "runtime/netd/netd_log.h"
#include "runtime/netd/netd_status.h"
#include "runtime/netd/peer_sync.h"
#include "runtime/netd/readiness_exec.h"
#include "runtime/netd/resolv_conf.h"

namespace baton::netd {
namespace {

constexpr auto kRound = std::chrono::seconds(1);

// Logs a line for `topic` only when it differs from the last one logged for
// it, so a condition that lasts is logged once, and its end once.
class LogOnChange {
 public:
  void Set(const std::string& topic, const std::string& line) {
    std::string& last = last_[topic];
    if (line != last && !line.empty()) LogLine(line);
    last = line;
  }

 private:
  std::map<std::string, std::string> last_;
};

std::string Summary(const EngineState& engine, const std::vector<Announcement>& peers) {
  std::string text = "engine: " + std::to_string(engine.networks.size()) + " networks, " +
                     std::to_string(engine.endpoints.size()) + " endpoints; peers:";
  for (const Announcement& peer : peers) {
    text += " " + peer.host + " (" + std::to_string(peer.networks.size()) + " networks, " +
            std::to_string(peer.endpoints.size()) + " endpoints)";
  }
  return peers.empty() ? text + " none" : text;
}

// Everything one round needs, owned for the daemon's lifetime.
struct Daemon {
  Daemon(const NetdConfig& config, const DaemonOptions& options)
      : config(config), options(options) {}

  const NetdConfig& config;
  const DaemonOptions& options;
  std::unique_ptr<CommandRunner> runner = MakeHostCommandRunner(options.host_root);
  Dataplane dataplane{config, *runner};
  bool dataplane_started = false;
  std::unique_ptr<PeerSync> sync;
  EngineWatch engine_watch{options.docker_socket};
  DnsServer dns{options.dns_port, LogLine};
  ReadinessProber prober{options.docker_socket};
  EngineState engine;  // the last one read; kept while the engine is unreachable
  // engine.endpoints with the readiness probes and the fence applied: what
  // this host announces and answers for itself.
  std::vector<dns::Endpoint> local;
  LogOnChange log;
  StatusFile status_file{options.status_file};
  bool ready = false;

  void Round();
  void StartParts();
  // Sets `local` from `engine`, the probes and the records known (ours and
  // the peers' generations, placements, spec hashes and held slots).
  void JudgeLocal(const std::vector<Announcement>& peers);
  // Gives the DNS service this host's gateways and every endpoint known.
  void ServeDns(const std::vector<Announcement>& peers);
  std::vector<std::string> Gateways() const;  // this host's baton networks' gateways
  // Once: writes the ready file when the dataplane runs, the peers are
  // settled and DNS is served on every gateway of this host.
  void MarkReadyOnce();
};

void Daemon::StartParts() {
  if (!dataplane_started) {
    Status started = dataplane.Start();
    dataplane_started = started.ok();
    log.Set("start", started.ok()
                         ? "dataplane started, overlay mac \"" + dataplane.vxlan_mac() + "\""
                         : "dataplane start: " + started.error().ToString());
  }
  if (sync == nullptr) {
    auto started = PeerSync::Start(config, LogLine);
    if (started.ok()) sync = std::move(*started);
    log.Set("sync", started.ok() ? "peer sync listening on port " + std::to_string(config.sync_port)
                                 : started.error().ToString());
  }
}

void Daemon::Round() {
  StartParts();
  auto read = engine_watch.Read();
  if (read.ok()) engine = std::move(*read);
  log.Set("engine", read.ok() ? "engine readable" : "engine: " + read.error().ToString());
  prober.Track(engine.probed);
  std::vector<Announcement> peers = sync ? sync->Peers() : std::vector<Announcement>{};
  log.Set("state", Summary(engine, peers));
  JudgeLocal(peers);
  Status status = status_file.Write(
      MakeNetdStatus(config.host, engine, local, ReasonsOf(engine.probed, prober)));
  log.Set("status", status.ok() ? "" : "status: " + status.error().ToString());
  if (sync) {
    Announcement announcement{config.host, dataplane.vxlan_mac(), engine.networks, local};
    AnnounceRecords(engine.records, announcement);
    sync->Publish(std::move(announcement));
  }
  // DNS first: a replica that left must leave the answers now, not after
  // the host commands of the dataplane (tens of ms each) have run.
  ServeDns(peers);
  if (dataplane_started) {
    Status applied = dataplane.Apply({engine.networks, RemoteHostsOf(config, peers)});
    log.Set("apply", applied.ok() ? "dataplane applied" : "apply: " + applied.error().ToString());
  }
  MarkReadyOnce();
}

void Daemon::JudgeLocal(const std::vector<Announcement>& peers) {
  FenceView newest = NewestRecords(engine.records, peers);
  local = engine.endpoints;
  for (dns::Endpoint& endpoint : local) {
    bool probed =
        std::any_of(engine.probed.begin(), engine.probed.end(),
                    [&](const ProbedContainer& c) { return c.name == endpoint.container; });
    if (!probed) continue;
    bool passing = prober.Passing(endpoint.container);
    endpoint.ready = endpoint.ready && passing;
    log.Set("probe " + endpoint.container,
            endpoint.container + ": " +
                (passing ? "readiness passing" : prober.Reason(endpoint.container)));
  }
  local = FenceLocal(std::move(local), newest, config.host);
}

std::vector<std::string> Daemon::Gateways() const {
  std::vector<std::string> gateways;
  for (const HostNetwork& network : engine.networks) gateways.push_back(network.gateway);
  return gateways;
}

void Daemon::ServeDns(const std::vector<Announcement>& peers) {
  std::vector<dns::Endpoint> endpoints = local;
  for (const Announcement& peer : peers) {
    std::vector<dns::Endpoint> accepted = AcceptRemote(engine.records, peer);
    endpoints.insert(endpoints.end(), accepted.begin(), accepted.end());
  }
  dns.SetGateways(Gateways());
  dns.SetEndpoints(std::move(endpoints));
  dns.SetUpstreams(config.dns_upstream.empty() ? ReadHostNameservers(options.host_root)
                                               : config.dns_upstream);
}

void Daemon::MarkReadyOnce() {
  if (ready || !dataplane_started || sync == nullptr || !sync->Settled()) return;
  if (!dns.Serves(Gateways())) return;
  std::ofstream marker(options.ready_file);
  ready = marker.good();
  log.Set("ready", ready ? "ready" : "cannot write " + options.ready_file);
}

// Waits for an engine event, a change heard from a peer, or the end of the
// round, noticing `stop` within 50 ms. A peer's change is acted on at once so
// a replica that leaves on one host leaves DNS on every host in well under
// the 2 s.
void WaitForRound(Daemon& daemon, const std::atomic<bool>& stop) {
  auto until = std::chrono::steady_clock::now() + kRound;
  uint64_t version = daemon.sync ? daemon.sync->Version() : 0;
  uint64_t probes = daemon.prober.Version();
  while (!stop && std::chrono::steady_clock::now() < until) {
    if (daemon.engine_watch.WaitForEvent(std::chrono::milliseconds(50))) return;
    if (daemon.sync && daemon.sync->Version() != version) return;
    if (daemon.prober.Version() != probes) return;
  }
}

int CleanupAndReport(Dataplane& dataplane) {
  Status cleaned = dataplane.Cleanup();
  if (!cleaned.ok()) {
    LogLine("cleanup: " + cleaned.error().ToString());
    return 1;
  }
  LogLine("cleaned up");
  return 0;
}

}  // namespace

std::vector<RemoteHost> RemoteHostsOf(const NetdConfig& config,
                                      const std::vector<Announcement>& peers) {
  std::vector<RemoteHost> remote;
  for (const Announcement& announcement : peers) {
    auto peer = std::find_if(config.hosts.begin(), config.hosts.end(),
                             [&](const Peer& p) { return p.name == announcement.host; });
    if (peer == config.hosts.end() || peer->name == config.host) continue;
    remote.push_back({*peer, announcement.vxlan_mac, announcement.networks});
  }
  return remote;
}

int RunDaemon(const NetdConfig& config, const DaemonOptions& options,
              const std::atomic<bool>& stop) {
  LogLine("netd starting on host " + config.host + " (overlay " + OverlayModeName(config.overlay) +
          ")");
  Daemon daemon(config, options);
  daemon.engine_watch.StartEvents();
  daemon.dns.Start();
  while (!stop) {
    daemon.Round();
    WaitForRound(daemon, stop);
  }
  LogLine("stopping");
  std::remove(options.ready_file.c_str());
  return CleanupAndReport(daemon.dataplane);
}

int CheckReady(const DaemonOptions& options) {
  return ::access(options.ready_file.c_str(), F_OK) == 0 ? 0 : 1;
}

int RunCleanup(const NetdConfig& config, const DaemonOptions& options) {
  auto runner = MakeHostCommandRunner(options.host_root);
  Dataplane dataplane(config, *runner);
  return CleanupAndReport(dataplane);
}

}  // namespace baton::netd
