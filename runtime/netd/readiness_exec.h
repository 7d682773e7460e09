#pragma once
// Runs the readiness probes of this host's containers (readiness_probe.h)
// through the engine's unix socket: per probe, POST /containers/{id}/exec,
// POST /exec/{eid}/start {"Detach":true}, then GET /exec/{eid}/json every
// 100 ms until it ends or the probe's timeout passes (a failure). netd runs
// it rather than the watcher: it is local (no SSH per probe), it keeps
// working without a watcher, and it already decides who is in DNS.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "runtime/netd/engine_parse.h"
#include "runtime/netd/readiness_probe.h"

namespace baton::netd {

// One probe of container `id`, blocking the caller until it ends, `spec`'s
// timeout passes, or `stop` is requested (noticed within 100 ms; a failure).
// Never throws; engine errors are failures with their reason. The engine
// cannot end an exec, so a timed-out one keeps running: its id is left in
// `hanging_exec`, and while it still runs the next probe is a failure
// ("exec still running from a timed-out probe") that starts no other, so
// hanging probes never pile up in the container.
ProbeResult RunProbe(const std::string& socket_path, const std::string& id,
                     const ReadinessSpec& spec, std::stop_token stop, std::string& hanging_exec);

// Probes every tracked container on its own schedule, in a thread per
// container, so at most one probe of a container is in flight and a slow
// probe delays no other. Track, Passing and Reason are for one thread (the
// daemon's); Version may be read from any.
class ReadinessProber {
 public:
  explicit ReadinessProber(std::string socket_path);
  ~ReadinessProber();  // stops every probe thread (within ~100 ms plus one request)
  ReadinessProber(const ReadinessProber&) = delete;
  ReadinessProber& operator=(const ReadinessProber&) = delete;

  // Follows the running containers with a readiness label: a new one, or
  // one restarted (another StartedAt) or recreated (another id), starts
  // unready with a probe at once; one no longer listed stops being probed.
  void Track(const std::vector<ProbedContainer>& running);
  // True while the probe of the container named `name` passes; false for a
  // container that is not tracked.
  bool Passing(const std::string& name) const;
  // Why it does not pass ("not probed yet", "readiness failing: exit 1",
  // "readiness label: ..."); "" while it passes.
  std::string Reason(const std::string& name) const;
  // Bumped when any container's readiness changes, so the daemon can run a
  // round at once.
  uint64_t Version() const { return version_.load(); }

 private:
  struct Probe;
  void Reap(std::stop_token stop);

  const std::string socket_path_;
  std::atomic<uint64_t> version_{0};
  std::map<std::string, std::unique_ptr<Probe>> probes_;  // by container name
  // Probes no longer tracked: asked to stop at once, joined by `reaper_`, so
  // a probe blocked in an engine request (up to 2 s) never stalls the
  // daemon's round, and DNS with it.
  std::mutex retired_mu_;
  std::condition_variable_any retired_wake_;
  std::vector<std::unique_ptr<Probe>> retired_;  // guarded by retired_mu_
  std::jthread reaper_;                          // last: stopped first, joining what is left
};

}  // namespace baton::netd
