#pragma once
// `baton ps`: every container of the project on every host, stopped and
// exited ones too (compose's `ps -a`: a one-shot that ran is part of the
// deploy), sorted by service and slot:
//   SERVICE  SLOT  CONTAINER   HOST  STATE       HEALTH   PORTS                 AGE
//   db       1     shop-db-1   lab2  running     healthy  -                     5m
//   migrate  1     shop-mig-1  lab1  exited (0)  -        -                     5m
// followed by a line per unreachable host, so none is silently left out:
//   lab3  unreachable: host lab3: connect: no route to host
// --format json: {"project": "shop", "containers": [{"service", "slot",
// "name", "id", "host", "state", "health", "exit_code", "ports", "image",
// "created", "started_at"}, ...], "unreachable_hosts": [{"host", "error"}]}.
// Works with only -p when there is no compose file. Exit 0, or 1 on an
// error or when a host was unreachable (the output is then incomplete).

#include <ctime>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"
#include "planner/actual_state.h"

namespace baton::cli {

// The table and the unreachable lines, ages counted up to `now`.
std::string RenderPs(const planner::ActualState& actual, std::time_t now);
std::string RenderPsJson(const planner::ActualState& actual);

// "12s", "5m", "3h", "4d": how long ago `timestamp` (RFC 3339) was; "-" when
// it cannot be read or is Docker's zero time.
std::string Age(const std::string& timestamp, std::time_t now);

void AddPsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                  std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
