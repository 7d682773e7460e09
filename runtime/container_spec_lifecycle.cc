// How the container is kept alive and bounded: restart and
// deploy.restart_policy, healthcheck, deploy.resources.

#include <charconv>
#include <cmath>

#include "runtime/container_spec_parts.h"

namespace baton::runtime::container_spec {
namespace {

using nlohmann::json;

// restart: "no", "always", "unless-stopped", "on-failure[:N]".
Result<RestartPolicy> ParseRestart(const SpecInput& in) {
  const std::string& text = in.service.restart;
  size_t colon = text.find(':');
  RestartPolicy policy{text.substr(0, colon), 0};
  if (colon == std::string::npos) return policy;
  std::string_view count = std::string_view(text).substr(colon + 1);
  auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), policy.max_retry);
  if (error != std::errc() || end != count.data() + count.size() || policy.max_retry < 0)
    return Error::Invalid(in.Where("restart"), "invalid restart policy \"" + text + "\"");
  return policy;
}

// deploy.restart_policy wins over restart, as in compose; its conditions
// are swarm's names for the engine's policies.
Result<RestartPolicy> Restart(const SpecInput& in) {
  const auto& deploy = in.service.deploy;
  if (!deploy || !deploy->restart_policy) return ParseRestart(in);
  const compose::RestartPolicy& policy = *deploy->restart_policy;
  if (policy.condition == "none") return RestartPolicy{"no", 0};
  if (policy.condition == "on-failure")
    return RestartPolicy{"on-failure", static_cast<int>(policy.max_attempts.value_or(0))};
  return RestartPolicy{"always", 0};  // "any", swarm's default
}

json Healthcheck(const compose::Healthcheck& check) {
  if (check.disable) return {{"Test", json::array({"NONE"})}};
  json body = json::object();
  if (!check.test.empty()) body["Test"] = check.test;
  if (check.interval) body["Interval"] = check.interval->count();
  if (check.timeout) body["Timeout"] = check.timeout->count();
  if (check.start_period) body["StartPeriod"] = check.start_period->count();
  if (check.start_interval) body["StartInterval"] = check.start_interval->count();
  if (check.retries) body["Retries"] = *check.retries;
  return body;
}

Status AddResources(const SpecInput& in, ContainerSpec& spec) {
  const auto& deploy = in.service.deploy;
  if (!deploy) return Status::Ok();
  if (const auto& limits = deploy->limits) {
    if (limits->cpus) spec.host_config.nano_cpus = std::llround(*limits->cpus * 1e9);
    if (limits->memory) spec.host_config.memory_bytes = *limits->memory;
    if (limits->pids) spec.extra["HostConfig"]["PidsLimit"] = *limits->pids;
  }
  // Reserved CPUs only steer placement; the engine has no such setting.
  if (const auto& reservations = deploy->reservations) {
    compose::ModelPath at = in.Path("deploy").Key("resources").Key("reservations");
    if (!reservations->devices.IsNull())
      return Error::Invalid(in.Where(at.Key("devices"), "deploy"),
                            "device reservations are not supported yet");
    if (!reservations->generic_resources.IsNull())
      return Error::Invalid(in.Where(at.Key("generic_resources"), "deploy"),
                            "generic resources are not supported yet");
    if (reservations->memory) spec.extra["HostConfig"]["MemoryReservation"] = *reservations->memory;
  }
  return Status::Ok();
}

}  // namespace

Status AddLifecycle(const SpecInput& in, ContainerSpec& spec) {
  auto restart = Restart(in);
  if (!restart.ok()) return std::move(restart).error();
  spec.host_config.restart_policy = *restart;
  if (in.service.healthcheck) {
    json check = Healthcheck(*in.service.healthcheck);
    if (!check.empty()) spec.extra["Healthcheck"] = std::move(check);
  }
  return AddResources(in, spec);
}

}  // namespace baton::runtime::container_spec
