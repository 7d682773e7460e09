#pragma once
// `baton ps`: every container of the project on every host, stopped and
// exited ones too (compose's `ps -a`: a one-shot that ran is part of the
// deploy), sorted by service and slot:
//   SERVICE  SLOT  CONTAINER   HOST  STATE       HEALTH   READY  PORTS  AGE
//   db       1     shop-db-1   lab2  running     healthy  -      -      5m
//   migrate  1     shop-mig-1  lab1  exited (0)  -        -      -      5m
//   web      1     shop-web-1  lab1  crash-looping (exit 3, 5 restarts, next in 16s) ...
// STATE shows a crash loop from the watcher's restart backoff (lease
// /status.json), else from the engine's restart count. READY is netd's
// verdict on x-baton.readiness ("-" without it, "?" when netd cannot tell).
// Then a line per unreachable or drained host, per autoscaled service and
// per running replica out of DNS, and the log tail of each crash loop:
//   lab3  unreachable: host lab3: connect: no route to host
//   lab2  drained since 2026-11-29T05:07:13Z by alice@laptop pid 4
//   web: autoscaled 1..3 at cpu 50%: 2 replicas (cpu 93% > 50% for 30s: 1->2)
//   api/1 on lab1 not in DNS: readiness failing: exit 1
// --format json: {"project", "containers": [{"service", "slot", "name",
// "id", "host", "state", "status", "health", "exit_code", "ports", "image",
// "created", "started_at", "finished_at", "restart_count", "crash_loop",
// "ready", "in_dns", "ready_reason", "log_tail"?}, ...], "unreachable_hosts":
// [{"host", "error"}], "drained_hosts": [{"host", "by", "since"}],
// "autoscaled": [{"service", "min", "max", "cpu_percent", "replicas",
// "reason"}], "watcher"}.
// Works with only -p when there is no compose file. Exit 0, or 1 on an
// error or when a host was unreachable (the output is then incomplete).

#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

void AddPsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                  std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
