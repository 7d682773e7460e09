// A compose service in the placement's terms: how many replicas, which
// hosts may take them, and what they occupy there (reservations, fixed host
// ports, local volumes).

#include "planner/service_spec.h"

#include <algorithm>
#include <charconv>

#include "compose/service_where.h"
#include "planner/constraint.h"
#include "planner/spec_hash.h"
#include "planner/x_baton.h"

namespace baton::planner {
namespace {

using compose::ModelPath;

bool IsGlobal(const compose::Service& service) {
  return service.deploy &&
         (service.deploy->mode == "global" || service.deploy->mode == "global-job");
}

// deploy.replicas, else scale, else 1. The validator refuses negative counts
// and a scale that differs from deploy.replicas; a negative count that
// reaches here anyway (validation off) is refused too, not treated as 0.
Status SetReplicas(const compose::Service& service, ServiceSpec& spec) {
  spec.global = IsGlobal(service);
  std::optional<int> replicas = service.deploy ? service.deploy->replicas : std::nullopt;
  spec.replicas = replicas ? *replicas : service.scale.value_or(1);
  if (spec.replicas < 0) {
    std::string key = replicas ? "deploy.replicas" : "scale";
    ModelPath at = replicas ? compose::ServicePath(service).Key("deploy").Key("replicas")
                            : compose::ServicePath(service).Key("scale");
    return Error::Invalid(compose::Where(compose::ServiceKeyMark(service, key), at),
                          "must be greater than or equal to 0");
  }
  return Status::Ok();
}

// compose's wording for the replicated case; the validator only checks that
// one, so global services are caught here.
Status CheckContainerName(const compose::Service& service, const ServiceSpec& spec) {
  if (service.container_name.empty() || (!spec.global && spec.replicas <= 1)) return Status::Ok();
  std::string key = spec.global     ? "deploy.mode " + service.deploy->mode
                    : service.scale ? "scale"
                                    : "deploy.replicas";
  return Error::Invalid(
      compose::Where(compose::ServiceKeyMark(service, "container_name"),
                     compose::ServicePath(service).Key("container_name")),
      "can't set container_name and " + key + " as container name must be unique");
}

Status SetPlacement(const compose::Service& service, ServiceSpec& spec) {
  if (!service.deploy || !service.deploy->placement) return Status::Ok();
  const compose::Placement& placement = *service.deploy->placement;
  for (size_t i = 0; i < placement.constraints.size(); ++i) {
    std::string key = "deploy.placement.constraints[" + std::to_string(i) + "]";
    ModelPath at =
        compose::ServicePath(service).Key("deploy").Key("placement").Key("constraints").Index(i);
    auto constraint = ParseConstraint(placement.constraints[i],
                                      compose::Where(compose::ServiceKeyMark(service, key), at));
    if (!constraint.ok()) return std::move(constraint).error();
    spec.constraints.push_back(std::move(*constraint));
  }
  for (const compose::PlacementPreference& preference : placement.preferences)
    if (!preference.spread.empty()) spec.spread.push_back(preference.spread);
  spec.max_replicas_per_node = placement.max_replicas_per_node;
  return Status::Ok();
}

void SetReservations(const compose::Service& service, ServiceSpec& spec) {
  if (!service.deploy || !service.deploy->reservations) return;
  spec.reserved_cpus = service.deploy->reservations->cpus.value_or(0);
  spec.reserved_memory = service.deploy->reservations->memory.value_or(0);
}

std::optional<uint32_t> ParsePort(std::string_view text) {
  uint32_t port = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port == 0 || port > 65535)
    return std::nullopt;
  return port;
}

// The one host port `published` fixes: "8080", or a range of one
// ("8080-8080"). An empty or wider range leaves the engine a choice.
std::optional<uint32_t> FixedHostPort(const std::string& published) {
  size_t dash = published.find('-');
  if (dash == std::string::npos) return ParsePort(published);
  auto first = ParsePort(std::string_view(published).substr(0, dash));
  auto last = ParsePort(std::string_view(published).substr(dash + 1));
  if (first && last && *first == *last) return first;
  return std::nullopt;
}

void SetPublishedPorts(const compose::Service& service, ServiceSpec& spec) {
  for (const compose::PortConfig& port : service.ports) {
    std::optional<uint32_t> host_port = FixedHostPort(port.published);
    if (!host_port) continue;
    spec.published_ports.push_back({port.host_ip, *host_port, port.protocol});
  }
}

void SetLocalVolumes(const compose::Project& project, const compose::Service& service,
                     ServiceSpec& spec) {
  for (const compose::VolumeMount& mount : service.volumes) {
    if (mount.type != "volume" || mount.source.empty()) continue;
    auto it = project.volumes.find(mount.source);
    if (it == project.volumes.end() || it->second.external) continue;
    if (it->second.driver.empty() || it->second.driver == "local")
      spec.local_volumes.push_back(it->second.name);
  }
  std::sort(spec.local_volumes.begin(), spec.local_volumes.end());
  spec.local_volumes.erase(std::unique(spec.local_volumes.begin(), spec.local_volumes.end()),
                           spec.local_volumes.end());
}

// Only what the compose file says: a healthcheck block without a test keeps
// the image's (counted; an image without one is simply never unhealthy),
// while an image healthcheck the file does not mention is not known here.
bool HasLiveness(const compose::Service& service) {
  if (!service.healthcheck || service.healthcheck->disable) return false;
  const std::vector<std::string>& test = service.healthcheck->test;
  return test.empty() || test[0] != "NONE";
}

}  // namespace

Result<ServiceSpec> MakeServiceSpec(const compose::Project& project,
                                    const compose::Service& service,
                                    const ServiceContent& content) {
  ServiceSpec spec;
  spec.name = service.name;
  spec.service = service;
  if (Status s = SetReplicas(service, spec); !s.ok()) return std::move(s).error();
  if (Status s = CheckContainerName(service, spec); !s.ok()) return std::move(s).error();
  if (Status s = SetPlacement(service, spec); !s.ok()) return std::move(s).error();
  auto rules = ReadXBaton(project, service);
  if (!rules.ok()) return std::move(rules).error();
  spec.affinity = std::move(rules->affinity);
  spec.anti_affinity = std::move(rules->anti_affinity);
  spec.readiness = std::move(rules->readiness);
  spec.autoscale = rules->autoscale;
  spec.restart = service.restart;
  spec.liveness = HasLiveness(service);
  SetReservations(service, spec);
  SetPublishedPorts(service, spec);
  SetLocalVolumes(project, service, spec);
  // Hashed before the image becomes T: T follows from K, which the `build`
  // part already covers, so a new build reads "build changed" alone.
  SpecHash hash = HashService(service, content, project.working_dir);
  spec.spec_hash = std::move(hash.hash);
  spec.part_hashes = std::move(hash.parts);
  spec.content = content;
  if (content.build) spec.service.image = content.build->tag;
  return spec;
}

}  // namespace baton::planner
