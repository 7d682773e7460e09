// RunWatchDaemon, declared in watch_daemon.h: builds the pieces in the
// order they depend on each other and tears them down in reverse, so no
// callback ever reaches a piece that is gone.

#include "cli/watch_daemon.h"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "planner/labels.h"
#include "runtime/cpu_sampler.h"
#include "runtime/deploy_lock.h"
#include "runtime/event_follower.h"
#include "runtime/host_monitor.h"
#include "runtime/metrics.h"
#include "runtime/metrics_server.h"
#include "runtime/netd_container.h"
#include "runtime/netd_image.h"
#include "runtime/project_lease.h"
#include "runtime/state_store.h"
#include "runtime/watch_io.h"
#include "runtime/watch_log.h"
#include "runtime/watcher.h"

namespace baton::cli {
namespace {

using runtime::WatchEvent;

// One line per event on stderr, kept in the ring `baton events` reads, and
// counted in the metrics.
class WatchLog {
 public:
  WatchLog(bool json, runtime::MetricsRegistry& metrics) : json_(json), metrics_(metrics) {}

  void Write(const WatchEvent& event) {
    std::string line = json_ ? runtime::ToJsonLine(event) : runtime::ToLogfmt(event);
    {
      std::lock_guard lock(mu_);
      std::fprintf(stderr, "%s\n", line.c_str());
      std::fflush(stderr);
      rings_[event.project].Add(event);
    }
    Count(event);
  }
  // The events of one project, for its lease's events file: with --all,
  // `baton events -p a` must not show b's.
  std::string Jsonl(const std::string& project) {
    std::lock_guard lock(mu_);
    return rings_[project].Jsonl();
  }

 private:
  void Count(const WatchEvent& event) {
    runtime::MetricLabels service{{"project", event.project}, {"service", event.service}};
    if (event.kind == "restart" || event.kind == "takeover")
      metrics_.Increment("baton_watch_restarts_total", service);
    if (event.kind == "replace") metrics_.Increment("baton_watch_replacements_total", service);
    if (event.kind == "failover")
      metrics_.Increment("baton_watch_failovers_total", {{"project", event.project}});
    if (event.kind == "error")
      metrics_.Increment("baton_watch_reconcile_errors_total", {{"project", event.project}});
  }

  const bool json_;
  runtime::MetricsRegistry& metrics_;
  std::mutex mu_;  // one whole line at a time; guards rings_
  std::map<std::string, runtime::EventRing> rings_;  // by project
};

void DeclareMetrics(runtime::MetricsRegistry& metrics) {
  metrics.DeclareCounter("baton_watch_restarts_total", "Replicas the watcher restarted");
  metrics.DeclareCounter("baton_watch_replacements_total", "Unhealthy replicas recreated");
  metrics.DeclareCounter("baton_watch_failovers_total", "Replicas moved off a down host");
  metrics.DeclareCounter("baton_watch_reconcile_errors_total", "Ticks that hit an error");
  metrics.DeclareCounter("baton_watch_reconciles_total", "Reconcile ticks, by what woke them");
  metrics.DeclareHistogram("baton_watch_reconcile_duration_seconds", "How long a tick took");
  metrics.DeclareHistogram("baton_watch_failover_duration_seconds",
                           "From a host's first missed answer to its replicas placed elsewhere");
  metrics.DeclareGauge("baton_watch_host_up", "1 when the host answers its pings");
  metrics.DeclareGauge("baton_watch_lease_held", "1 while this watcher holds the lease");
}

WatchEvent Event(std::string kind, std::string project, std::string message) {
  WatchEvent event;
  event.time = std::chrono::system_clock::now();
  event.kind = std::move(kind);
  event.project = std::move(project);
  event.message = std::move(message);
  return event;
}

runtime::HostCondition ConditionOf(runtime::HostHealth health) {
  switch (health) {
    case runtime::HostHealth::kUp:
      return runtime::HostCondition::kUp;
    case runtime::HostHealth::kSuspect:
      return runtime::HostCondition::kSuspect;
    case runtime::HostHealth::kDown:
      return runtime::HostCondition::kDown;
  }
  return runtime::HostCondition::kUp;
}

// The project an engine event is about: a replica's, or the project whose
// record or deploy lock it is.
std::string ProjectOf(const runtime::DockerEvent& event) {
  const runtime::Labels& attributes = event.attributes;
  if (std::string project = runtime::LabelOf(attributes, planner::labels::kProject);
      !project.empty())
    return project;
  if (std::string project = runtime::LabelOf(attributes, planner::labels::kStateOf);
      !project.empty())
    return project;
  std::string name = runtime::LabelOf(attributes, "name");
  const std::string lock = "baton-lock-";
  return name.starts_with(lock) ? name.substr(lock.size()) : "";
}

// One watched project. Members are destroyed in reverse: the thread stops
// first, the lease (released by its destructor) last.
struct ProjectWatch {
  std::string project;
  std::unique_ptr<runtime::ProjectLease> lease;
  std::unique_ptr<runtime::PoolWatchIo> io;
  std::unique_ptr<runtime::PoolStatsSource> stats;  // the autoscaler's cpu samples
  std::unique_ptr<runtime::Watcher> watcher;
  std::jthread thread;
};

class WatchDaemon {
 public:
  explicit WatchDaemon(const WatchDaemonOptions& options)
      : options_(options), log_(options.json_log, metrics_) {
    DeclareMetrics(metrics_);
  }
  ~WatchDaemon() { Shutdown(); }
  Status Run(std::stop_token stop);

 private:
  void Shutdown();
  void StopFollowers();
  Status StartMetrics();
  void PrepareNetd();
  Result<std::vector<std::string>> Projects();
  void StartProject(const std::string& project);
  void StartFollowers();
  void WakeAll(const std::string& trigger);
  void OnHostChange();
  runtime::HostConditions Conditions() const;
  std::vector<runtime::LeaseHost> LeaseHosts() const;
  std::string Holder() const;

  const WatchDaemonOptions& options_;
  runtime::MetricsRegistry metrics_;
  WatchLog log_;
  std::unique_ptr<runtime::MetricsServer> metrics_server_;
  std::optional<runtime::NetdDeployment> netd_;  // before the watches that point at it
  std::unique_ptr<runtime::HostMonitor> monitor_;
  std::atomic<bool> monitor_ready_{false};  // monitor_ is assigned; its callbacks may use it
  std::mutex mu_;  // guards watches_ against the callbacks of monitor and followers
  std::map<std::string, std::unique_ptr<ProjectWatch>> watches_;
  std::vector<std::unique_ptr<runtime::EventFollower>> followers_;
  std::stop_source quit_;
};

Status WatchDaemon::StartMetrics() {
  if (options_.metrics_address.empty()) return Status::Ok();
  auto server = runtime::MetricsServer::Start(options_.metrics_address, metrics_);
  if (!server.ok()) return server.error();
  metrics_server_ = std::move(*server);
  return Status::Ok();
}

Result<runtime::NetdDeployment> NetdFromBinary(const WatchDaemonOptions& options) {
  auto binary = runtime::FindNetdBinaryFromEnvironment();
  if (!binary.ok()) return binary.error();
  auto image = runtime::IndexNetdImage(*binary);  // the bytes only when a host lacks it
  if (!image.ok()) return image.error();
  return runtime::PrepareNetd(std::move(*image), options.cluster, options.hosts);
}

void WatchDaemon::PrepareNetd() {
  auto netd = NetdFromBinary(options_);
  if (netd.ok()) {
    netd_ = std::move(*netd);
    return;
  }
  WatchEvent event = Event("netd", "",
                           "netd: " + netd.error().ToString() +
                               "; replicas moved to a host without netd get no "
                               "cluster networking");
  event.level = "warn";
  log_.Write(event);
}

Result<std::vector<std::string>> WatchDaemon::Projects() {
  if (!options_.all) return options_.projects;
  runtime::HostPool pool = monitor_->Snapshot();
  auto projects = runtime::ProjectsWithDesiredState(pool);
  if (!projects.ok()) return projects.error();
  if (projects->empty()) return Error::NotFound("", "no project has a desired state to watch");
  return projects;
}

std::string WatchDaemon::Holder() const {
  std::string holder = runtime::ThisProcessHolder();
  return options_.id.empty() ? holder : options_.id + " " + holder;
}

runtime::HostConditions WatchDaemon::Conditions() const {
  runtime::HostConditions conditions;
  for (const runtime::HostView& view : monitor_->Views())
    conditions[view.name] = ConditionOf(view.health);
  return conditions;
}

// Every host, with a client only while it is Up: a renewal round that
// waits for a host that stopped answering could outlast the lease's
// deadline, and lose the lease just when a failover needs it. The quorum
// still counts every host.
std::vector<runtime::LeaseHost> WatchDaemon::LeaseHosts() const {
  runtime::HostConditions conditions = Conditions();
  std::vector<runtime::LeaseHost> hosts;
  for (const transport::HostConfig& host : options_.hosts) {
    bool up = conditions[host.name] == runtime::HostCondition::kUp;
    hosts.push_back({host.name, up ? monitor_->Docker(host.name) : nullptr});
  }
  return hosts;
}

void WatchDaemon::WakeAll(const std::string& trigger) {
  std::lock_guard lock(mu_);
  for (auto& [project, watch] : watches_)
    if (watch->watcher) watch->watcher->MarkDirty(trigger);
}

void WatchDaemon::OnHostChange() {
  if (!monitor_ready_) return;  // still starting: the first ticks observe anyway
  for (const runtime::HostView& view : monitor_->Views())
    metrics_.SetGauge("baton_watch_host_up", {{"host", view.name}},
                      view.health == runtime::HostHealth::kUp ? 1 : 0);
  WakeAll("hosts");
}

void WatchDaemon::StartProject(const std::string& project) {
  auto watch = std::make_unique<ProjectWatch>();
  ProjectWatch* self = watch.get();
  watch->project = project;
  runtime::LeaseOptions lease;
  lease.holder = Holder();
  watch->lease = runtime::ProjectLease::Start(
      [this] { return LeaseHosts(); }, project, lease,
      [this, self, project](bool held) {
        log_.Write(Event("lease", project, held ? "gained" : "lost"));
        metrics_.SetGauge("baton_watch_lease_held", {{"project", project}}, held ? 1 : 0);
        std::lock_guard lock(mu_);
        if (self->watcher) self->watcher->MarkDirty("lease");
      });
  runtime::PoolWatchParts parts;
  parts.pool = [this] { return monitor_->Snapshot(); };
  parts.hosts = [this] { return Conditions(); };
  parts.lease_held = [self](const std::string&) { return self->lease->Held(); };
  parts.lease_lost = [self](const std::string&) { return self->lease->LostToken(); };
  parts.notify = [this, self](const WatchEvent& event) {
    log_.Write(event);
    self->lease->PublishEvents(log_.Jsonl(self->project));
  };
  parts.netd = netd_ ? &*netd_ : nullptr;
  parts.cluster = options_.cluster;
  parts.publish_status = [self](const std::string& json) { self->lease->PublishStatus(json); };
  parts.read_status = [this, project] {
    return runtime::ProjectLease::ReadFile(LeaseHosts(), project, "/status.json");
  };
  watch->io = std::make_unique<runtime::PoolWatchIo>(std::move(parts));
  watch->stats =
      std::make_unique<runtime::PoolStatsSource>([this] { return monitor_->Snapshot(); });
  runtime::WatchOptions watch_options;
  watch_options.stats = watch->stats.get();
  watch_options.resync = options_.resync;
  watch_options.cpu_warm_up = options_.autoscale_warm_up;
  watch_options.written_by = Holder();
  watch_options.on_tick = [this, project](const runtime::TickReport& tick) {
    metrics_.Increment("baton_watch_reconciles_total",
                       {{"project", project}, {"trigger", tick.trigger}});
    metrics_.Observe("baton_watch_reconcile_duration_seconds", {{"project", project}},
                     tick.seconds);
    if (tick.failover_seconds)
      metrics_.Observe("baton_watch_failover_duration_seconds", {{"project", project}},
                       *tick.failover_seconds);
  };
  std::lock_guard lock(mu_);
  watch->watcher = std::make_unique<runtime::Watcher>(*watch->io, project, watch_options);
  bool single = !options_.all;
  watch->thread = std::jthread([this, self, single](std::stop_token stop) {
    self->watcher->Run(stop);
    if (single && self->watcher->done()) {
      log_.Write(Event("removed", self->project, "the project was taken down; watch ends"));
      quit_.request_stop();
    }
  });
  watches_[project] = std::move(watch);
}

void WatchDaemon::StartFollowers() {
  for (const transport::HostConfig& host : options_.hosts) {
    runtime::EventFollowerOptions follow;
    follow.on_break = [this](const Error&) { WakeAll("resubscribe"); };
    std::string name = host.name;
    followers_.push_back(std::make_unique<runtime::EventFollower>(
        name, [this, name] { return monitor_->Docker(name); }, follow,
        [this](const runtime::DockerEvent& event) {
          std::string project = ProjectOf(event);
          std::lock_guard lock(mu_);
          auto it = watches_.find(project);
          if (it != watches_.end() && it->second->watcher) it->second->watcher->MarkDirty("event");
        }));
  }
}

Status WatchDaemon::Run(std::stop_token stop) {
  if (Status metrics = StartMetrics(); !metrics.ok()) return metrics;
  PrepareNetd();
  monitor_ = runtime::HostMonitor::Start(options_.hosts, options_.ssh, options_.monitor,
                                         [this] { OnHostChange(); });
  monitor_ready_ = true;
  auto projects = Projects();
  if (!projects.ok()) return projects.error();
  for (const std::string& project : *projects) StartProject(project);
  StartFollowers();
  std::stop_callback interrupted(stop, [this] { quit_.request_stop(); });
  std::mutex idle;
  std::condition_variable_any never;
  std::unique_lock lock(idle);
  never.wait(lock, quit_.get_token(), [] { return false; });
  Shutdown();
  return Status::Ok();
}

// Each follower's destructor waits up to a second for its event stream to
// see the stop (DockerClient checks its token once a second): destroyed side
// by side, they cost that second once instead of once per host.
void WatchDaemon::StopFollowers() {
  std::vector<std::jthread> stopping;
  for (std::unique_ptr<runtime::EventFollower>& follower : followers_)
    stopping.emplace_back([gone = std::move(follower)]() mutable { gone.reset(); });
  stopping.clear();  // joins
  followers_.clear();
}

// In the order the pieces use each other: followers and watch threads first,
// then the leases (their release still reads the monitor's connections), the
// monitor last. Every path out of Run ends here, the destructor included.
void WatchDaemon::Shutdown() {
  StopFollowers();
  std::map<std::string, std::unique_ptr<ProjectWatch>> watches;
  {
    std::lock_guard guard(mu_);
    watches.swap(watches_);
  }
  for (auto& [project, watch] : watches) {
    watch->thread = {};  // requests stop and joins
    if (Status released = watch->lease->Release(); !released.ok())
      log_.Write(Event("error", project, "release lease: " + released.error().ToString()));
    else
      log_.Write(Event("lease", project, "released"));
  }
  watches.clear();
  monitor_ready_ = false;
  // The monitor's destructor joins its threads, whose on_change may still be
  // inside OnHostChange: monitor_ must stay valid until they are joined, so
  // it is deleted through a second owner and only then released.
  if (monitor_) {
    std::unique_ptr<runtime::HostMonitor> joining(monitor_.get());
    joining.reset();
    (void)monitor_.release();
  }
}

}  // namespace

Status RunWatchDaemon(const WatchDaemonOptions& options, std::stop_token stop) {
  WatchDaemon daemon(options);
  return daemon.Run(stop);
}

}  // namespace baton::cli
