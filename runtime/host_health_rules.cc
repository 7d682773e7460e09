// Host health from ping history: Up, Suspect, Down.

#include "runtime/host_health_rules.h"

#include <algorithm>

namespace baton::runtime {
namespace {

// A ping is due every heartbeat and may take up to ping_timeout; a host whose
// last success is younger than both together has missed nothing yet.
MonitorClock::duration UpWindow(const MonitorOptions& options) {
  return options.heartbeat + options.ping_timeout;
}

}  // namespace

std::string_view HealthName(HostHealth health) {
  switch (health) {
    case HostHealth::kUp:
      return "up";
    case HostHealth::kSuspect:
      return "suspect";
    case HostHealth::kDown:
      return "down";
  }
  return "unknown";
}

HostHealth JudgeHost(MonitorClock::time_point last_ok, int consecutive_ok, bool was_down,
                     MonitorClock::time_point now, const MonitorOptions& options) {
  MonitorClock::duration silent = now - last_ok;
  if (silent >= options.grace) return HostHealth::kDown;
  // One success after Down may be a flap; the second in a row brings it back.
  if (was_down && consecutive_ok < 2) return HostHealth::kDown;
  if (silent < UpWindow(options)) return HostHealth::kUp;
  return HostHealth::kSuspect;
}

void HealthTracker::Success(MonitorClock::time_point now) {
  last_ok_ = std::max(last_ok_, now);
  ++consecutive_ok_;
}

void HealthTracker::Failure(MonitorClock::time_point) { consecutive_ok_ = 0; }

bool HealthTracker::Judge(MonitorClock::time_point now, const MonitorOptions& options) {
  HostHealth next =
      JudgeHost(last_ok_, consecutive_ok_, health_ == HostHealth::kDown, now, options);
  if (next == health_) return false;
  health_ = next;
  since_ = now;
  return true;
}

MonitorClock::time_point HealthTracker::NextChange(const MonitorOptions& options) const {
  switch (health_) {
    case HostHealth::kUp:
      return last_ok_ + UpWindow(options);
    case HostHealth::kSuspect:
      return last_ok_ + options.grace;
    case HostHealth::kDown:
      break;
  }
  return MonitorClock::time_point::max();  // only pings bring a Down host back
}

}  // namespace baton::runtime
