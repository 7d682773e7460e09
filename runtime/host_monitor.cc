// HostMonitor: a thread per host that pings, judges and reconnects.

#include "runtime/host_monitor.h"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <utility>

#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

using std::chrono::system_clock;

// A client on the same socket as the link's, but with the ping timeout as its
// call timeout, so a hanging engine fails a ping within ping_timeout while
// the link's own client keeps the watcher's longer call timeout.
std::shared_ptr<DockerClient> MakeProbe(const HostHandle& link, const MonitorOptions& options) {
  if (link.connection == nullptr) return link.docker;
  DockerOptions probe;
  probe.host = link.config.name;
  probe.socket_path = link.connection->socket_path().string();
  probe.connect_timeout = options.ping_timeout;
  probe.call_timeout = options.ping_timeout;
  Result<DockerClient> client = DockerClient::Connect(probe);
  if (!client.ok()) return link.docker;
  return std::make_shared<DockerClient>(std::move(*client));
}

Error NotConnected(const std::string& host) {
  return Error::Unreachable("host " + host, "not connected");
}

}  // namespace

struct HostMonitor::Impl {
  struct Host {
    transport::HostConfig config;
    HostHandle link;                      // guarded by mu; docker null while unlinked
    std::shared_ptr<DockerClient> probe;  // guarded by mu
    HealthTracker tracker;                // guarded by mu
    system_clock::time_point since_wall;  // guarded by mu
    std::optional<Error> error;           // guarded by mu
  };

  MonitorOptions options;
  HostConnector connect;
  std::function<void()> on_change;
  mutable std::mutex mu;
  std::condition_variable_any wake;
  std::vector<Host> hosts;  // fixed once the threads start
  std::vector<std::jthread> threads;  // declared last, so they are joined first

  void Run(size_t index, std::stop_token stop);
  bool Ping(Host& host);
  bool Reconnect(Host& host);
  // Records a ping or reconnect outcome and re-judges; true when the host's
  // health or link changed.
  bool Record(Host& host, bool linked_before, std::optional<Error> failure);
  // Re-judges at `now`, dropping a Down host's link; true when something
  // changed. Caller holds mu.
  bool Judge(Host& host, MonitorClock::time_point now);
  MonitorClock::time_point NextTry(const Host& host, std::chrono::milliseconds& backoff) const;
  void Notify() const {
    if (on_change) on_change();
  }
};

// Pings through the probe; on a failure whose tunnel is unhealthy (a lost SSH
// session is final), drops the link so the next round reconnects.
bool HostMonitor::Impl::Ping(Host& host) {
  std::shared_ptr<DockerClient> probe;
  std::shared_ptr<transport::HostConnection> connection;
  {
    std::lock_guard lock(mu);
    probe = host.probe;
    connection = host.link.connection;
  }
  Status pinged = probe != nullptr ? probe->Ping() : Status(NotConnected(host.config.name));
  std::optional<Error> failure;
  if (!pinged.ok()) failure = pinged.error();
  bool drop = false;
  if (failure && connection != nullptr) {
    Status tunnel = connection->Health();
    if (!tunnel.ok()) {
      failure = tunnel.error();
      drop = true;
    }
  }
  std::unique_lock lock(mu);
  if (drop) {
    host.link = HostHandle{host.config, nullptr, nullptr, failure};
    host.probe = nullptr;
  }
  return Record(host, true, failure);
}

bool HostMonitor::Impl::Reconnect(Host& host) {
  HostHandle link = connect(host.config);  // slow (SSH); outside the lock
  std::shared_ptr<DockerClient> probe;
  if (link.reachable()) probe = MakeProbe(link, options);
  std::lock_guard lock(mu);
  if (!link.reachable()) {
    return Record(host, false, link.error ? *link.error : NotConnected(host.config.name));
  }
  host.link = std::move(link);
  host.probe = std::move(probe);
  return Record(host, false, std::nullopt);
}

bool HostMonitor::Impl::Record(Host& host, bool linked_before, std::optional<Error> failure) {
  MonitorClock::time_point now = MonitorClock::now();
  if (failure) {
    host.tracker.Failure(now);
    host.error = std::move(failure);
  } else {
    host.tracker.Success(now);
    host.error.reset();
  }
  bool changed = Judge(host, now);
  return changed || linked_before != (host.link.docker != nullptr);
}

bool HostMonitor::Impl::Judge(Host& host, MonitorClock::time_point now) {
  bool changed = host.tracker.Judge(now, options);
  if (changed) host.since_wall = system_clock::now();
  // A Down host's link is dropped: its calls would only hang, and the
  // reconnect gives it a fresh tunnel when it comes back.
  if (host.tracker.health() == HostHealth::kDown && host.link.docker != nullptr) {
    host.link = HostHandle{host.config, nullptr, nullptr, host.error};
    host.probe = nullptr;
    changed = true;
  }
  return changed;
}

// When the next ping or reconnect is due, after one just ended.
MonitorClock::time_point HostMonitor::Impl::NextTry(const Host& host,
                                                    std::chrono::milliseconds& backoff) const {
  MonitorClock::time_point now = MonitorClock::now();
  if (host.link.docker == nullptr) {
    MonitorClock::time_point next = now + backoff;
    backoff = std::min(backoff * 2, options.reconnect_max);
    return next;
  }
  backoff = options.reconnect_min;
  // A host that is not Up is pinged more often, so that it comes back (two
  // successes in a row) soon after it answers again.
  if (host.tracker.health() == HostHealth::kUp) return now + options.heartbeat;
  return now + std::min(options.heartbeat, options.reconnect_min);
}

void HostMonitor::Impl::Run(size_t index, std::stop_token stop) {
  Host& host = hosts[index];
  std::chrono::milliseconds backoff = options.reconnect_min;
  MonitorClock::time_point next_try;
  {
    std::lock_guard lock(mu);
    next_try = host.link.docker == nullptr ? MonitorClock::now() + backoff
                                           : MonitorClock::now() + options.heartbeat;
  }
  while (!stop.stop_requested()) {
    bool linked = false;
    bool changed = false;
    {
      std::unique_lock lock(mu);
      MonitorClock::time_point until = std::min(next_try, host.tracker.NextChange(options));
      wake.wait_until(lock, stop, until, [] { return false; });
      if (stop.stop_requested()) return;
      linked = host.link.docker != nullptr;
      if (MonitorClock::now() < next_try) changed = Judge(host, MonitorClock::now());
    }
    if (!changed && MonitorClock::now() >= next_try) {
      changed = linked ? Ping(host) : Reconnect(host);
      std::lock_guard lock(mu);
      next_try = NextTry(host, backoff);
    }
    if (changed) Notify();
  }
}

std::unique_ptr<HostMonitor> HostMonitor::Start(std::vector<transport::HostConfig> hosts,
                                                transport::SshOptions ssh, MonitorOptions options,
                                                std::function<void()> on_change) {
  std::chrono::milliseconds timeout = options.docker_call_timeout;
  HostConnector connect = [ssh, timeout](const transport::HostConfig& host) {
    return ConnectHost(host, ssh, timeout);
  };
  return Start(std::move(hosts), std::move(connect), options, std::move(on_change));
}

std::unique_ptr<HostMonitor> HostMonitor::Start(std::vector<transport::HostConfig> hosts,
                                                HostConnector connect, MonitorOptions options,
                                                std::function<void()> on_change) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->connect = std::move(connect);
  impl->on_change = std::move(on_change);
  MonitorClock::time_point start = MonitorClock::now();
  std::vector<std::future<HostHandle>> opening;
  for (const transport::HostConfig& config : hosts)
    opening.push_back(std::async(std::launch::async, impl->connect, config));
  for (size_t i = 0; i < hosts.size(); ++i) {
    HostHandle link = opening[i].get();
    Impl::Host host{hosts[i], {}, nullptr, HealthTracker(start), system_clock::now(), {}};
    if (link.reachable()) {
      host.probe = MakeProbe(link, options);
      host.link = std::move(link);
      host.tracker.Success(start);
    } else {
      host.error = link.error ? *link.error : NotConnected(hosts[i].name);
      host.link = HostHandle{hosts[i], nullptr, nullptr, host.error};
      host.tracker.Failure(start);
    }
    impl->hosts.push_back(std::move(host));
  }
  Impl* raw = impl.get();
  for (size_t i = 0; i < raw->hosts.size(); ++i)
    raw->threads.emplace_back([raw, i](std::stop_token stop) { raw->Run(i, stop); });
  return std::unique_ptr<HostMonitor>(new HostMonitor(std::move(impl)));
}

HostMonitor::HostMonitor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HostMonitor::~HostMonitor() {
  for (std::jthread& thread : impl_->threads) thread.request_stop();
  impl_->threads.clear();  // joins
}

HostPool HostMonitor::Snapshot() const {
  std::vector<HostHandle> handles;
  std::lock_guard lock(impl_->mu);
  for (const Impl::Host& host : impl_->hosts) {
    HostHandle handle = host.link;
    if (handle.docker == nullptr) handle.error = host.error ? host.error
                                                            : NotConnected(host.config.name);
    handles.push_back(std::move(handle));
  }
  return HostPool::FromHandles(std::move(handles));
}

std::vector<HostView> HostMonitor::Views() const {
  std::vector<HostView> views;
  std::lock_guard lock(impl_->mu);
  for (const Impl::Host& host : impl_->hosts)
    views.push_back(HostView{host.config.name, host.tracker.health(), host.tracker.since(),
                             host.since_wall, host.error, host.link.docker != nullptr});
  return views;
}

std::shared_ptr<DockerClient> HostMonitor::Docker(const std::string& name) const {
  std::lock_guard lock(impl_->mu);
  for (const Impl::Host& host : impl_->hosts)
    if (host.config.name == name) return host.link.docker;
  return nullptr;
}

}  // namespace baton::runtime
