#pragma once
// Follows one host's engine events for the watcher. Events are wake-ups only
// (the watcher is level-triggered), so losing some costs one resync; still,
// after a break the follower resubscribes with `since` = the last event's
// time, so Docker replays what it still holds in its bounded backlog.
//
// Threads: one thread per follower, started by the constructor and stopped
// and joined by the destructor (within about a second: DockerClient checks
// its stop token once a second). on_event and on_break run on that thread.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <stop_token>
#include <thread>

#include "base/result.h"
#include "runtime/docker_events.h"

namespace baton::runtime {

class DockerClient;

// Container events of the kinds a watcher reacts to: type container and
// actions create, start, die, stop, kill, destroy, rename, health_status, oom.
EventsOptions WatchEventsOptions();

// The current client for the followed host; null while it has no link (the
// follower then waits `retry` and asks again). HostMonitor::Docker fits.
using DockerProvider = std::function<std::shared_ptr<DockerClient>()>;

struct EventFollowerOptions {
  EventsOptions events = WatchEventsOptions();  // `since` is set by the follower
  // Pause after a break (or while unlinked) before subscribing again.
  std::chrono::milliseconds retry{1000};
  // Called once per break with why it ended (kUnreachable mostly), before
  // the resubscription; the watcher marks the project dirty, since events
  // may have been missed. May be empty.
  std::function<void(const Error&)> on_break;
};

class EventFollower {
 public:
  // Starts following at once. Before the first event, a resubscription uses
  // the wall-clock time the first subscription began as `since`.
  EventFollower(std::string host, DockerProvider docker, EventFollowerOptions options,
                std::function<void(const DockerEvent&)> on_event);
  // A fixed client (no link swaps), e.g. a test's.
  EventFollower(std::string host, std::shared_ptr<DockerClient> docker,
                EventFollowerOptions options, std::function<void(const DockerEvent&)> on_event);
  EventFollower(const EventFollower&) = delete;
  EventFollower& operator=(const EventFollower&) = delete;
  ~EventFollower();

  const std::string& host() const { return host_; }

 private:
  void Run(std::stop_token stop);
  // Sleeps `retry`; false when stop was requested meanwhile.
  bool Pause(std::stop_token stop) const;

  const std::string host_;
  const DockerProvider docker_;
  const EventFollowerOptions options_;
  const std::function<void(const DockerEvent&)> on_event_;
  std::jthread worker_;  // declared last, so it is joined first
};

}  // namespace baton::runtime
