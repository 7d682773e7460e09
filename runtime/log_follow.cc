// Following logs: one thread per container, lines shown as they come, and
// (with watch_starts) one thread per host watching for containers of the
// selection that start, so that new and restarted replicas join the output.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "planner/labels.h"
#include "runtime/host_pool.h"
#include "runtime/log_read.h"

namespace baton::runtime {
namespace {

using SystemClock = std::chrono::system_clock;

// Events this long before following began are asked for too, so that a
// container that started between listing and subscribing is not missed.
constexpr std::chrono::seconds kEventOverlap{5};

std::int64_t NanosSinceEpoch(SystemClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

std::string UnixTime(std::int64_t nanos) {
  std::string fraction = std::to_string(nanos % 1000000000);
  return std::to_string(nanos / 1000000000) + "." + std::string(9 - fraction.size(), '0') +
         fraction;
}

// The replica an event's container is, if it belongs to the selection.
std::optional<LogSource> SourceOfEvent(const std::string& host, const DockerEvent& event,
                                       const LogSelection& selection) {
  const auto& labels = event.attributes;
  auto service = labels.find(planner::labels::kService);
  auto oneoff = labels.find(planner::labels::kOneoff);
  if (service == labels.end() || (oneoff != labels.end() && oneoff->second == "True"))
    return std::nullopt;
  if (!selection.services.empty() && std::find(selection.services.begin(), selection.services.end(),
                                               service->second) == selection.services.end())
    return std::nullopt;
  return LogSource{host, event.actor_id, service->second, planner::labels::SlotFromLabels(labels)};
}

class LogFollower {
 public:
  LogFollower(HostPool& pool, const LogSelection& selection, const LogReadOptions& options,
              const LogView& view, LogSink& sink, std::stop_token stop)
      : pool_(pool),
        selection_(selection),
        options_(options),
        sink_(sink),
        stop_(stop),
        formatter_(view) {}

  int Run(const std::vector<LogSource>& sources) {
    std::int64_t began = NanosSinceEpoch(SystemClock::now());
    {
      std::lock_guard lock(mu_);
      for (const LogSource& source : sources) formatter_.Add(source);
      for (const LogSource& source : sources) StartLocked(source, options_.since, options_.tail);
      if (options_.watch_starts)
        for (HostHandle& host : pool_.hosts())
          if (host.reachable())
            threads_.emplace_back([this, handle = &host, began] { Watch(*handle, began); });
    }
    // The stop may be requested by a sink called under mu_, so the wait must
    // not take mu_ to wake: condition_variable_any wakes by its own lock.
    std::unique_lock lock(mu_);
    changed_.wait(lock, stop_, [&] { return !options_.watch_starts && active_.empty(); });
    std::vector<std::jthread> threads = std::move(threads_);
    lock.unlock();
    threads.clear();  // joins; after a stop no thread starts another
    return problems_;
  }

 private:
  // A container followed now: whether it started again before its stream
  // ended (a restart), so that the next run is followed once this one ends.
  struct Following {
    bool started_again = false;
  };

  static std::string Key(const LogSource& source) {
    return source.host + "/" + source.container_id;
  }

  void StartLocked(const LogSource& source, const std::string& since, const std::string& tail) {
    if (stop_.stop_requested()) return;
    active_[Key(source)] = {};
    threads_.emplace_back([this, source, since, tail] { Follow(source, since, tail); });
  }

  void Follow(const LogSource& source, const std::string& since, const std::string& tail) {
    LogReadOptions read = options_;
    read.since = since;
    read.tail = tail;
    std::optional<Error> failure =
        ReadSourceLines(pool_, source, read, stop_, [&](StreamKind kind, const TimedLine& line) {
          std::lock_guard lock(mu_);
          sink_.Line(kind, formatter_.Format(source, line));
          if (!line.timestamp.empty()) last_seen_[Key(source)] = line.timestamp;
          return true;
        });
    std::lock_guard lock(mu_);
    if (failure && !stop_.stop_requested()) ProblemLocked(*failure);
    auto found = active_.find(Key(source));
    bool again = found->second.started_again;
    active_.erase(found);
    if (again) StartLocked(source, SinceLastSeenLocked(source), "all");
    changed_.notify_all();
  }

  void Watch(HostHandle& host, std::int64_t began) {
    EventsOptions events;
    events.since = UnixTime(began - std::chrono::nanoseconds(kEventOverlap).count());
    events.filters = {
        {"type", {"container"}},
        {"event", {"start"}},
        {"label", {std::string(planner::labels::kProject) + "=" + selection_.project}}};
    Status watched = host.docker->StreamEvents(
        events, [&](const DockerEvent& event) { return OnStart(host.config.name, event); }, stop_);
    if (!watched.ok() && !stop_.stop_requested()) {
      std::lock_guard lock(mu_);
      ProblemLocked(watched.error().Within("watch container starts"));
    }
  }

  bool OnStart(const std::string& host, const DockerEvent& event) {
    std::optional<LogSource> source = SourceOfEvent(host, event, selection_);
    std::lock_guard lock(mu_);
    if (stop_.stop_requested()) return false;
    if (!source) return true;
    auto found = active_.find(Key(*source));
    if (found == active_.end()) {
      formatter_.Add(*source);
      StartLocked(*source, SinceLastSeenLocked(*source), "all");
    } else {
      // Its stream ends with the old run. (A start replayed from before
      // following began lands here too; it costs one read that finds nothing.)
      found->second.started_again = true;
    }
    return true;
  }

  // Where to read a container's log from when it starts (again): after the
  // last line shown, as the engine stamped it, so that no clock but the
  // host's counts and nothing shows twice; from the requested start for a
  // container not shown yet. (The start event's own time would lose what
  // the process wrote before the engine reported the start.)
  std::string SinceLastSeenLocked(const LogSource& source) const {
    auto seen = last_seen_.find(Key(source));
    if (seen == last_seen_.end()) return options_.since;
    Result<std::string> unix = LogTimeToUnix(seen->second, SystemClock::now());
    if (!unix.ok()) return options_.since;
    std::size_t dot = unix->find('.');
    std::int64_t nanos =
        std::stoll(unix->substr(0, dot)) * 1000000000 + std::stoll(unix->substr(dot + 1));
    return UnixTime(nanos + 1);
  }

  void ProblemLocked(const Error& error) {
    sink_.Problem(error);
    ++problems_;
  }

  HostPool& pool_;
  const LogSelection& selection_;
  const LogReadOptions& options_;
  LogSink& sink_;
  std::stop_token stop_;

  std::mutex mu_;
  std::condition_variable_any changed_;
  LogFormatter formatter_;                   // guarded by mu_
  std::map<std::string, Following> active_;  // by Key(); guarded by mu_
  std::map<std::string, std::string>
      last_seen_;                      // the last line's timestamp by Key(); guarded by mu_
  std::vector<std::jthread> threads_;  // guarded by mu_
  int problems_ = 0;                   // guarded by mu_
};

}  // namespace

int FollowLogs(HostPool& pool, const std::vector<LogSource>& sources, const LogSelection& selection,
               const LogReadOptions& options, const LogView& view, LogSink& sink,
               std::stop_token stop) {
  LogFollower follower(pool, selection, options, view, sink, stop);
  return follower.Run(sources);
}

}  // namespace baton::runtime
