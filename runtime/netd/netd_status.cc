#include "runtime/netd/netd_status.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runtime/netd/json_fields.h"
#include "runtime/netd/readiness_exec.h"

namespace baton::netd {
namespace {

constexpr char kWhere[] = "netd status";
// The placement moved the slot, or a rolling update took this spec out.
constexpr char kFenced[] =
    "fenced: the newest desired-state record places this slot elsewhere or replaces its spec";

bool ReadyIn(const std::vector<dns::Endpoint>& endpoints, const std::string& container) {
  return std::any_of(endpoints.begin(), endpoints.end(),
                     [&](const dns::Endpoint& e) { return e.container == container && e.ready; });
}

ReplicaStatus Judge(const dns::Endpoint& endpoint, const std::vector<dns::Endpoint>& local,
                    const ProbeReasons& probes) {
  ReplicaStatus status;
  status.container = endpoint.container;
  status.project = endpoint.project;
  status.service = endpoint.service;
  status.slot = endpoint.slot;
  auto probe = probes.find(endpoint.container);
  status.readiness = probe != probes.end();
  // For a probed container the engine's ready is State.Running alone.
  bool engine_ready = endpoint.ready;
  status.ready = engine_ready && (!status.readiness || probe->second.empty());
  status.in_dns = ReadyIn(local, endpoint.container);
  if (status.in_dns) return status;
  if (!engine_ready)
    status.reason = status.readiness ? "not running" : "unhealthy or starting";
  else if (!status.ready)
    status.reason = probe->second;
  else
    status.reason = kFenced;
  return status;
}

nlohmann::json ReplicaJson(const ReplicaStatus& r) {
  return {{"container", r.container}, {"project", r.project},     {"service", r.service},
          {"slot", r.slot},           {"readiness", r.readiness}, {"ready", r.ready},
          {"in_dns", r.in_dns},       {"reason", r.reason}};
}

Result<ReplicaStatus> ParseReplica(const nlohmann::json& item, const std::string& path) {
  JsonFields fields(item, kWhere, path);
  if (Status s = fields.ExpectObject(); !s.ok()) return s.error();
  auto container = fields.String("container", {}, true);
  if (!container.ok()) return container.error();
  auto project = fields.String("project");
  if (!project.ok()) return project.error();
  auto service = fields.String("service");
  if (!service.ok()) return service.error();
  auto slot = fields.Unsigned("slot", 0, 0, 100000);
  if (!slot.ok()) return slot.error();
  auto readiness = fields.Bool("readiness", false);
  if (!readiness.ok()) return readiness.error();
  auto ready = fields.Bool("ready", false);
  if (!ready.ok()) return ready.error();
  auto in_dns = fields.Bool("in_dns", false);
  if (!in_dns.ok()) return in_dns.error();
  auto reason = fields.String("reason");
  if (!reason.ok()) return reason.error();
  return ReplicaStatus{*container, *project, *service, static_cast<int>(*slot),
                       *readiness, *ready,   *in_dns,  *reason};
}

std::string YesNo(bool value) { return value ? "yes" : "no"; }

std::string StatusTable(const NetdStatus& status) {
  size_t count = status.replicas.size();
  std::string out = "netd on " + status.host + ": " + std::to_string(count) +
                    (count == 1 ? " local replica\n" : " local replicas\n");
  for (const ReplicaStatus& r : status.replicas) {
    out += r.container + "  ready " + (r.readiness ? YesNo(r.ready) : "-") + "  dns " +
           YesNo(r.in_dns) + (r.reason.empty() ? "" : "  " + r.reason) + "\n";
  }
  return out;
}

}  // namespace

NetdStatus MakeNetdStatus(const std::string& host, const EngineState& engine,
                          const std::vector<dns::Endpoint>& local, const ProbeReasons& probes) {
  NetdStatus status;
  status.host = host;
  for (const dns::Endpoint& endpoint : engine.endpoints) {
    auto seen =
        std::find_if(status.replicas.begin(), status.replicas.end(),
                     [&](const ReplicaStatus& r) { return r.container == endpoint.container; });
    if (seen == status.replicas.end()) status.replicas.push_back(Judge(endpoint, local, probes));
  }
  std::sort(
      status.replicas.begin(), status.replicas.end(),
      [](const ReplicaStatus& a, const ReplicaStatus& b) { return a.container < b.container; });
  return status;
}

ProbeReasons ReasonsOf(const std::vector<ProbedContainer>& probed, const ReadinessProber& prober) {
  ProbeReasons reasons;
  for (const ProbedContainer& c : probed)
    reasons[c.name] = prober.Passing(c.name) ? "" : prober.Reason(c.name);
  return reasons;
}

std::string NetdStatusJson(const NetdStatus& status) {
  nlohmann::json replicas = nlohmann::json::array();
  for (const ReplicaStatus& r : status.replicas) replicas.push_back(ReplicaJson(r));
  nlohmann::json root = {
      {"format", status.format}, {"host", status.host}, {"replicas", std::move(replicas)}};
  return root.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<NetdStatus> ParseNetdStatus(std::string_view json) {
  nlohmann::json root = nlohmann::json::parse(json, nullptr, false);
  if (root.is_discarded()) return Error::Invalid(kWhere, "not JSON");
  JsonFields fields(root, kWhere, "");
  if (Status s = fields.ExpectObject(); !s.ok()) return s.error();
  auto format = fields.Unsigned("format", 1, 1, 1000);
  if (!format.ok()) return format.error();
  auto host = fields.String("host");
  if (!host.ok()) return host.error();
  auto replicas = fields.Array("replicas");
  if (!replicas.ok()) return replicas.error();
  NetdStatus status{static_cast<int>(*format), *host, {}};
  for (size_t i = 0; i < replicas->size(); ++i) {
    auto replica = ParseReplica((*replicas)[i], "replicas[" + std::to_string(i) + "]");
    if (!replica.ok()) return replica.error();
    status.replicas.push_back(std::move(*replica));
  }
  return status;
}

Status StatusFile::Write(const NetdStatus& status) {
  std::string json = NetdStatusJson(status) + "\n";
  if (json == written_) return Status::Ok();
  std::string temporary = path_ + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << json;
    if (!file.good()) return Error::Internal("", "cannot write " + temporary);
  }
  if (std::rename(temporary.c_str(), path_.c_str()) != 0)
    return Error::Internal("", "cannot rename " + temporary + " to " + path_);
  written_ = std::move(json);
  return Status::Ok();
}

int PrintStatus(const std::string& path, bool json, std::FILE* out, std::FILE* err) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  if (!file.good() || text.str().empty()) {
    std::fprintf(err, "netd has not written its status yet (%s)\n", path.c_str());
    return 1;
  }
  auto status = ParseNetdStatus(text.str());
  if (!status.ok()) {
    std::fprintf(err, "%s\n", status.error().ToString().c_str());
    return 1;
  }
  std::string printed = json ? NetdStatusJson(*status) + "\n" : StatusTable(*status);
  std::fputs(printed.c_str(), out);
  return 0;
}

}  // namespace baton::netd
