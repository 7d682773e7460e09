#pragma once
// netd's view of its own engine, through the engine's unix socket: reads the
// baton networks and their endpoints on demand, and follows /events in a
// background thread so a container start, death, health change or network
// change wakes the daemon at once. The daemon re-reads every second anyway:
// an event only means "look again" (a lost one costs at most that second).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"
#include "runtime/netd/engine_parse.h"

namespace baton::netd {

class EngineWatch {
 public:
  explicit EngineWatch(std::string socket_path);
  ~EngineWatch();  // stops the events thread (within ~100 ms)
  EngineWatch(const EngineWatch&) = delete;
  EngineWatch& operator=(const EngineWatch&) = delete;

  // Starts following the engine's events; reconnects every second while the
  // engine is unreachable. Call once.
  void StartEvents();
  // Waits until an event arrived since the last call, or `timeout` passes.
  // True when an event came. Any thread, one waiter at a time.
  bool WaitForEvent(std::chrono::milliseconds timeout);
  // Reads the engine now. kUnreachable when it cannot be asked; a container
  // removed while being read is left out. Any thread.
  Result<EngineState> Read() const;

 private:
  void FollowEvents(std::stop_token stop);
  void Notify();

  const std::string socket_path_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool event_ = false;   // guarded by mu_
  std::jthread events_;  // declared last, so it is stopped and joined first
};

}  // namespace baton::netd
