// The readiness probe's rules (design 3.4) and its label.

#include "runtime/netd/readiness_probe.h"

#include <catch2/catch.hpp>

namespace baton::netd {
namespace {

using namespace std::chrono_literals;
using Strings = std::vector<std::string>;

ReadinessSpec Spec() {
  ReadinessSpec spec;
  spec.test = {"CMD-SHELL", "test -e /tmp/ready"};
  spec.interval = 1s;
  spec.timeout = 500ms;
  spec.retries = 2;
  spec.start_period = 10s;
  return spec;
}

const ProbeResult kPass{true, ""};
const ProbeResult kFail{false, "exit 1"};

TEST_CASE("readiness: unready until the first success", "[netd][readiness]") {
  auto t0 = ProbeClock::time_point{} + 100s;
  ProbeState state = StartProbing(t0);
  CHECK_FALSE(state.ready);
  CHECK(state.reason == "not probed yet");
  CHECK(state.next_run == t0);
  state = Next(state, kFail, t0 + 20s, Spec());
  CHECK_FALSE(state.ready);
  CHECK(state.reason == "readiness failing: exit 1");
  state = Next(state, kPass, t0 + 21s, Spec());
  CHECK(state.ready);
  CHECK(state.reason.empty());
  CHECK(state.next_run == t0 + 22s);
}

TEST_CASE("readiness: retries consecutive failures make it unready", "[netd][readiness]") {
  auto t0 = ProbeClock::time_point{} + 100s;
  ProbeState state = Next(StartProbing(t0), kPass, t0 + 11s, Spec());
  state = Next(state, kFail, t0 + 12s, Spec());
  CHECK(state.ready);
  state = Next(state, kPass, t0 + 13s, Spec());
  state = Next(state, kFail, t0 + 14s, Spec());
  CHECK(state.ready);
  state = Next(state, kFail, t0 + 15s, Spec());
  CHECK_FALSE(state.ready);
  CHECK(state.reason == "readiness failing: exit 1");
  CHECK(Next(state, kPass, t0 + 16s, Spec()).ready);
}

TEST_CASE("readiness: failures during start_period do not count", "[netd][readiness]") {
  auto t0 = ProbeClock::time_point{} + 100s;
  ProbeState state = StartProbing(t0);
  for (int i = 0; i < 5; ++i) state = Next(state, kFail, t0 + std::chrono::seconds(i), Spec());
  CHECK(state.failures == 0);
  state = Next(state, kFail, t0 + 10s, Spec());
  CHECK(state.failures == 1);
}

TEST_CASE("readiness: a success ends the start period early", "[netd][readiness]") {
  auto t0 = ProbeClock::time_point{} + 100s;
  ProbeState state = Next(StartProbing(t0), kPass, t0 + 1s, Spec());
  state = Next(state, kFail, t0 + 2s, Spec());
  state = Next(state, kFail, t0 + 3s, Spec());
  CHECK_FALSE(state.ready);
}

TEST_CASE("readiness: the label round-trips and fills docker's defaults", "[netd][readiness]") {
  CHECK(ReadinessLabel(Spec()) == R"({"interval_ms":1000,"retries":2,"start_period_ms":10000,)"
                                  R"("test":["CMD-SHELL","test -e /tmp/ready"],"timeout_ms":500})");
  auto parsed = ParseReadinessLabel(ReadinessLabel(Spec()));
  REQUIRE(parsed.ok());
  CHECK(*parsed == Spec());
  auto bare = ParseReadinessLabel(R"({"test":["CMD","cat","/ok"],"retries":0})");
  REQUIRE(bare.ok());
  CHECK(bare->interval == 30s);
  CHECK(bare->timeout == 30s);
  CHECK(bare->retries == 3);
  CHECK(bare->start_period == 0ms);
}

TEST_CASE("readiness: a bad label is refused", "[netd][readiness]") {
  auto error = [](const std::string& text) {
    auto parsed = ParseReadinessLabel(text);
    REQUIRE_FALSE(parsed.ok());
    return parsed.error().ToString();
  };
  CHECK(error("{oops") == "readiness label: not a json object");
  CHECK(error(R"({"test":["NONE","x"]})") ==
        "readiness label: test: must start with \"CMD\" or \"CMD-SHELL\"");
  CHECK(error(R"({"test":["CMD"]})") ==
        "readiness label: test: expected [\"CMD\", ...] or [\"CMD-SHELL\", script]");
  CHECK(error(R"({"test":["CMD","x"],"interval_ms":-1})") ==
        "readiness label: interval_ms: expected milliseconds");
}

TEST_CASE("readiness: the command execs the shell for CMD-SHELL", "[netd][readiness]") {
  CHECK(ProbeCommand(Spec()) == Strings{"/bin/sh", "-c", "test -e /tmp/ready"});
  ReadinessSpec cmd;
  cmd.test = {"CMD", "cat", "/ok"};
  CHECK(ProbeCommand(cmd) == Strings{"cat", "/ok"});
}

}  // namespace
}  // namespace baton::netd
