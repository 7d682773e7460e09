#pragma once
// `baton ps` output (the layout is documented in ps_command.h and
// man/baton-ps.1). Pure: the containers as observed plus PsExtras.

#include <ctime>
#include <string>

#include "cli/ps_facts.h"
#include "planner/actual_state.h"

namespace baton::cli {

// The table, then a line per unreachable or drained host, per autoscaled
// service and per running replica out of DNS, then the log tail of each
// crash-looping replica; ages and delays counted up to `now`.
std::string RenderPs(const planner::ActualState& actual, const PsExtras& extras, std::time_t now);
std::string RenderPsJson(const planner::ActualState& actual, const PsExtras& extras,
                         std::time_t now);

// "12s", "5m", "3h", "4d": how long ago `timestamp` (RFC 3339) was; "-" when
// it cannot be read or is Docker's zero time.
std::string Age(const std::string& timestamp, std::time_t now);

}  // namespace baton::cli
