#pragma once
// The readiness probe of x-baton.readiness (issue 6, design 3.4) as a pure
// state machine: the replica keeps running, and only leaves DNS while the
// probe fails. The rules follow Docker's healthcheck where they can:
// - unready until the first success;
// - `retries` consecutive failures make it unready, one success ready;
// - failures within `start_period` of the start do not count;
// - the next probe runs `interval` after the last one ended.
// readiness_exec.h runs the probes over the engine socket.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace baton::netd {

using ProbeClock = std::chrono::steady_clock;

// The label baton.readiness (planner/labels.h), Docker's defaults filled in
// where the compose file left a key out.
struct ReadinessSpec {
  std::vector<std::string> test;  // ["CMD", args...] or ["CMD-SHELL", script]
  std::chrono::milliseconds interval = std::chrono::seconds(30);
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
  int retries = 3;
  std::chrono::milliseconds start_period{0};
  bool operator==(const ReadinessSpec&) const = default;
};

// Compact JSON {"test":[...],"interval_ms":..,"timeout_ms":..,"retries":..,
// "start_period_ms":..}, every key written.
std::string ReadinessLabel(const ReadinessSpec& spec);
// kInvalid "readiness label: <what>" for malformed JSON, a test that is not
// CMD or CMD-SHELL with a command, or a wrong type. Missing keys take the
// defaults; 0 durations and retries too (as Docker reads them).
Result<ReadinessSpec> ParseReadinessLabel(std::string_view json);

// The argv a probe execs: CMD's arguments, or /bin/sh -c <script>.
std::vector<std::string> ProbeCommand(const ReadinessSpec& spec);

struct ProbeResult {
  bool success = false;
  std::string reason;  // for failures: "exit 1", "timeout after 2s", "exec: ..."
};

struct ProbeState {
  ProbeClock::time_point started;   // when the container was seen starting
  ProbeClock::time_point next_run;  // when the next probe is due
  bool ready = false;
  bool passed_once = false;  // a success ends the start period early
  int failures = 0;          // consecutive failures that count
  std::string reason;        // why unready: "not probed yet", "readiness failing: exit 1"
};

// A container just seen running (or restarted): unready, first probe now.
ProbeState StartProbing(ProbeClock::time_point now);

// The state after a probe that ended at `now` with `result`.
ProbeState Next(ProbeState state, const ProbeResult& result, ProbeClock::time_point now,
                const ReadinessSpec& spec);

}  // namespace baton::netd
