// One host's engine event stream, resubscribed after every break.

#include "runtime/event_follower.h"

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <utility>

#include "runtime/docker_client.h"

namespace baton::runtime {
namespace {

// Docker reads `since` as unix seconds with an optional fraction of up to
// nine digits, and replays the events at or after it that it still holds.
std::string SinceText(std::int64_t time_nano) {
  char text[48];
  std::snprintf(text, sizeof text, "%lld.%09lld",
                static_cast<long long>(time_nano / 1000000000),
                static_cast<long long>(time_nano % 1000000000));
  return text;
}

std::int64_t NowNano() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

EventsOptions WatchEventsOptions() {
  EventsOptions options;
  options.filters = {{"type", {"container"}},
                     {"event",
                      {"create", "start", "die", "stop", "kill", "destroy", "rename",
                       "health_status", "oom"}}};
  return options;
}

EventFollower::EventFollower(std::string host, DockerProvider docker,
                             EventFollowerOptions options,
                             std::function<void(const DockerEvent&)> on_event)
    : host_(std::move(host)),
      docker_(std::move(docker)),
      options_(std::move(options)),
      on_event_(std::move(on_event)),
      worker_([this](std::stop_token stop) { Run(stop); }) {}

EventFollower::EventFollower(std::string host, std::shared_ptr<DockerClient> docker,
                             EventFollowerOptions options,
                             std::function<void(const DockerEvent&)> on_event)
    : EventFollower(
          std::move(host), [docker = std::move(docker)] { return docker; }, std::move(options),
          std::move(on_event)) {}

EventFollower::~EventFollower() {
  worker_.request_stop();
  if (worker_.joinable()) worker_.join();
}

void EventFollower::Run(std::stop_token stop) {
  // Resume from the last event seen (engine clock); before any event, from
  // when we first listened (our clock: the best there is).
  std::int64_t last_event_nano = 0;
  std::int64_t began_nano = 0;
  while (!stop.stop_requested()) {
    std::shared_ptr<DockerClient> docker = docker_();
    if (docker == nullptr) {
      if (!Pause(stop)) return;
      continue;
    }
    EventsOptions events = options_.events;
    if (last_event_nano != 0) events.since = SinceText(last_event_nano);
    else if (began_nano != 0) events.since = SinceText(began_nano);
    else began_nano = NowNano();
    Status ended = docker->StreamEvents(
        events,
        [&](const DockerEvent& event) {
          if (event.time_nano != 0) last_event_nano = event.time_nano;
          if (on_event_) on_event_(event);
          return !stop.stop_requested();
        },
        stop);
    if (stop.stop_requested()) return;
    Error why = ended.ok() ? Error::Unreachable("host " + host_, "event stream ended")
                           : ended.error();
    if (options_.on_break) options_.on_break(why);
    if (!Pause(stop)) return;
  }
}

bool EventFollower::Pause(std::stop_token stop) const {
  std::mutex mu;
  std::condition_variable_any wake;
  std::unique_lock lock(mu);
  wake.wait_for(lock, stop, options_.retry, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace baton::runtime
