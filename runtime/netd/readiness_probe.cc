#include "runtime/netd/readiness_probe.h"

#include <nlohmann/json.hpp>

namespace baton::netd {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr char kWhere[] = "readiness label";
constexpr int kDefaultRetries = 3;

// A duration member in milliseconds; 0 or missing keeps `fallback`.
Result<milliseconds> DurationAt(const json& root, const char* key, milliseconds fallback) {
  auto it = root.find(key);
  if (it == root.end() || it->is_null()) return fallback;
  if (!it->is_number_unsigned())
    return Error::Invalid(kWhere, std::string(key) +
                                      ": expected "
                                      "milliseconds");
  uint64_t value = it->get<uint64_t>();
  if (value > 24ull * 3600 * 1000)
    return Error::Invalid(kWhere, std::string(key) + ": longer than a day");
  return value == 0 ? fallback : milliseconds(value);
}

Result<std::vector<std::string>> TestAt(const json& root) {
  auto it = root.find("test");
  if (it == root.end() || !it->is_array() || it->size() < 2)
    return Error::Invalid(kWhere, "test: expected [\"CMD\", ...] or [\"CMD-SHELL\", script]");
  std::vector<std::string> test;
  for (const json& word : *it) {
    if (!word.is_string()) return Error::Invalid(kWhere, "test: expected strings");
    test.push_back(word.get<std::string>());
  }
  if (test[0] != "CMD" && test[0] != "CMD-SHELL")
    return Error::Invalid(kWhere, "test: must start with \"CMD\" or \"CMD-SHELL\"");
  return test;
}

}  // namespace

std::string ReadinessLabel(const ReadinessSpec& spec) {
  json label = {
      {"test", spec.test},
      {"interval_ms", spec.interval.count()},
      {"timeout_ms", spec.timeout.count()},
      {"retries", spec.retries},
      {"start_period_ms", spec.start_period.count()},
  };
  return label.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ReadinessSpec> ParseReadinessLabel(std::string_view text) {
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return Error::Invalid(kWhere, "not a json object");
  ReadinessSpec spec;
  auto test = TestAt(root);
  if (!test.ok()) return test.error();
  spec.test = std::move(*test);
  auto interval = DurationAt(root, "interval_ms", spec.interval);
  auto timeout = DurationAt(root, "timeout_ms", spec.timeout);
  auto start_period = DurationAt(root, "start_period_ms", milliseconds(0));
  if (!interval.ok()) return interval.error();
  if (!timeout.ok()) return timeout.error();
  if (!start_period.ok()) return start_period.error();
  spec.interval = *interval;
  spec.timeout = *timeout;
  spec.start_period = *start_period;
  auto retries = root.find("retries");
  if (retries != root.end() && !retries->is_null()) {
    if (!retries->is_number_unsigned() || retries->get<uint64_t>() > 1000)
      return Error::Invalid(kWhere, "retries: expected a count 0-1000");
    spec.retries = static_cast<int>(retries->get<uint64_t>());
  }
  if (spec.retries == 0) spec.retries = kDefaultRetries;
  return spec;
}

std::vector<std::string> ProbeCommand(const ReadinessSpec& spec) {
  if (spec.test.empty()) return {};
  if (spec.test[0] == "CMD-SHELL") {
    std::string script = spec.test.size() > 1 ? spec.test[1] : "";
    return {"/bin/sh", "-c", script};
  }
  return std::vector<std::string>(spec.test.begin() + 1, spec.test.end());
}

ProbeState StartProbing(ProbeClock::time_point now) {
  ProbeState state;
  state.started = now;
  state.next_run = now;
  state.reason = "not probed yet";
  return state;
}

ProbeState Next(ProbeState state, const ProbeResult& result, ProbeClock::time_point now,
                const ReadinessSpec& spec) {
  state.next_run = now + spec.interval;
  if (result.success) {
    state.ready = true;
    state.passed_once = true;
    state.failures = 0;
    state.reason.clear();
    return state;
  }
  // Docker's start period: a failure then is expected, so it does not count,
  // but a success ends the period early.
  if (!state.passed_once && now - state.started < spec.start_period) return state;
  state.failures += 1;
  if (state.failures >= spec.retries) {
    state.ready = false;
    state.reason = "readiness failing: " + result.reason;
  } else if (!state.ready) {
    state.reason = "readiness failing: " + result.reason;
  }
  return state;
}

}  // namespace baton::netd
