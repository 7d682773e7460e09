#pragma once
// What netd knows of this host's replicas, for `baton ps` (issue 6: the
// READY column): for each local container on a baton network, whether its
// x-baton.readiness probe passes and whether it is in DNS, with the reason
// when it is not. The daemon writes it to a file after each round in which
// it changed; `baton-netd status --json`, run by `ps` with exec in the netd
// container, prints that file. A file rather than a socket: exec needs no
// new channel, and a status a second old is as good as a live one.
//
//   {"format":1,"host":"lab1","replicas":[{"container":"shop-web-1",
//    "project":"shop","service":"web","slot":1,"readiness":true,
//    "ready":false,"in_dns":false,"reason":"readiness failing: exit 1"}]}

#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "runtime/dns/resolve.h"
#include "runtime/netd/engine_parse.h"

namespace baton::netd {

class ReadinessProber;

struct ReplicaStatus {
  std::string container;  // name, without the leading slash
  std::string project;
  std::string service;
  int slot = 0;
  bool readiness = false;  // it has an x-baton.readiness probe
  // With a probe: the probe passes (and the container runs). Without one:
  // running and, with a healthcheck, healthy.
  bool ready = false;
  bool in_dns = false;  // ready and not fenced: this host answers with it
  // Why it is not in DNS: "unhealthy or starting", the probe's reason
  // ("readiness failing: exit 1"), or the fence's; "" when it is.
  std::string reason;
  bool operator==(const ReplicaStatus&) const = default;
};

struct NetdStatus {
  int format = 1;
  std::string host;
  std::vector<ReplicaStatus> replicas;  // sorted by container name
  bool operator==(const NetdStatus&) const = default;
};

// Why each probed container's probe does not pass, by container name: ""
// while it passes.
using ProbeReasons = std::map<std::string, std::string>;

// The status of each container of `engine.endpoints` (one entry per
// container, whatever its networks), judged from the engine's view, the
// probes and `local` (the endpoints after probes and fence, as announced).
NetdStatus MakeNetdStatus(const std::string& host, const EngineState& engine,
                          const std::vector<dns::Endpoint>& local, const ProbeReasons& probes);

// `prober`'s verdict on each of `probed`.
ProbeReasons ReasonsOf(const std::vector<ProbedContainer>& probed, const ReadinessProber& prober);

std::string NetdStatusJson(const NetdStatus& status);
// kInvalid naming the member when `json` is not of NetdStatusJson's shape
// (unknown members are ignored, so a newer netd's output still reads).
Result<NetdStatus> ParseNetdStatus(std::string_view json);

// Writes the status to `path` when it differs from the last one written,
// through a temporary file renamed over it, so a reader never sees half of
// one. Errors are returned once per distinct message by the caller's log.
class StatusFile {
 public:
  explicit StatusFile(std::string path) : path_(std::move(path)) {}
  Status Write(const NetdStatus& status);

 private:
  std::string path_;
  std::string written_;
};

// `baton-netd status [--json]`: prints the status at `path` to `out`, as
// JSON or as a table. Exit code 0, or 1 (with a line to `err`) when netd has
// not written it yet or it cannot be read.
int PrintStatus(const std::string& path, bool json, std::FILE* out, std::FILE* err);

}  // namespace baton::netd
