#pragma once
// How the watcher judges a host from its pings (pure; no clock of its own).
//
// A host is Up while its last successful ping is recent (younger than one
// heartbeat plus the ping timeout, so one slow answer is not yet a problem),
// Suspect after that, and Down once no ping succeeded for `grace`. Only Down
// moves replicas away (failover); Suspect merely freezes the host. A Down
// host comes back Up only after two consecutive successful pings, so a link
// that flaps does not make replicas move back and forth.
//
// Threads: HealthTracker is a plain value; its owner serialises the calls.

#include <chrono>
#include <string_view>

namespace baton::runtime {

using MonitorClock = std::chrono::steady_clock;

enum class HostHealth { kUp, kSuspect, kDown };

// "up", "suspect", "down": as logged and shown by `ps`.
std::string_view HealthName(HostHealth health);

struct MonitorOptions {
  std::chrono::milliseconds heartbeat{5000};     // one ping per host this often
  std::chrono::milliseconds grace{10000};        // no success for this long: Down
  std::chrono::milliseconds ping_timeout{2000};  // a ping slower than this failed
  // Reconnecting a lost or Down host: the first retry after reconnect_min,
  // doubling up to reconnect_max.
  std::chrono::milliseconds reconnect_min{1000};
  std::chrono::milliseconds reconnect_max{10000};
  // The call timeout of the DockerClient a reconnect makes (the watcher's 5 s).
  std::chrono::milliseconds docker_call_timeout{5000};
};

// The health of a host whose last successful ping was at `last_ok`, after
// `consecutive_ok` successes in a row (0 when the latest ping failed), given
// that it was Down before this judgement (`was_down`).
HostHealth JudgeHost(MonitorClock::time_point last_ok, int consecutive_ok, bool was_down,
                     MonitorClock::time_point now, const MonitorOptions& options);

// One host's ping history and current health. Every host starts Up with
// last_ok = `start` (the monitor opened it just now). One that could not be
// opened is judged from `start` like any other: Suspect after one heartbeat
// plus the ping timeout, Down after grace, so a watcher that starts while a
// host is briefly unreachable does not fail it over at once.
class HealthTracker {
 public:
  explicit HealthTracker(MonitorClock::time_point start) : last_ok_(start), since_(start) {}

  void Success(MonitorClock::time_point now);
  void Failure(MonitorClock::time_point now);
  // Re-judges at `now`; true when the health changed (since() is then `now`).
  bool Judge(MonitorClock::time_point now, const MonitorOptions& options);
  // When Judge would next change the health if no ping result arrives
  // (last_ok + up window, or last_ok + grace); time_point::max() when never.
  MonitorClock::time_point NextChange(const MonitorOptions& options) const;

  HostHealth health() const { return health_; }
  MonitorClock::time_point since() const { return since_; }
  MonitorClock::time_point last_ok() const { return last_ok_; }
  int consecutive_ok() const { return consecutive_ok_; }

 private:
  MonitorClock::time_point last_ok_;
  int consecutive_ok_ = 0;
  HostHealth health_ = HostHealth::kUp;
  MonitorClock::time_point since_;
};

}  // namespace baton::runtime
