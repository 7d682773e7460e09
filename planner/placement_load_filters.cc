// The filters that also read what the placement put on the host so far:
// max_replicas_per_node, affinity, anti-affinity, CPUs, memory, ports.

#include "planner/placement_filters.h"
#include "planner/placement_reason.h"

namespace baton::planner {
namespace {

// Reservations are sums of decimals ("0.1" three times); a need equal to
// what is free up to rounding fits.
constexpr double kCpuSlack = 1e-9;

const std::string& ServiceName(const PlacementRequest& request, size_t service) {
  return request.input.service(service).name;
}

const size_t* MissingAffinity(const PlacementRequest& request, size_t host) {
  for (const size_t& service : request.facts().affinity)
    if (request.tally.replicas(service, host) == 0) return &service;
  return nullptr;
}

const size_t* PresentAntiAffinity(const PlacementRequest& request, size_t host) {
  for (const size_t& service : request.facts().anti_affinity)
    if (request.tally.replicas(service, host) > 0) return &service;
  return nullptr;
}

double FreeCpus(const PlacementRequest& request, size_t host) {
  const HostState& state = request.host(host);
  return state.cpus - state.reserved_cpus_elsewhere - request.tally.cpus(host);
}

int64_t FreeMemory(const PlacementRequest& request, size_t host) {
  const HostState& state = request.host(host);
  return state.memory - state.reserved_memory_elsewhere - request.tally.memory(host);
}

bool TakenElsewhere(const PlacementRequest& request, size_t host, const PublishedPort& port) {
  return request.host(host).ports_used_elsewhere.count({port.protocol, port.port}) > 0;
}

std::string PortText(const PublishedPort& port) {
  return port.protocol + " port " + std::to_string(port.port);
}

}  // namespace

bool MaxReplicasFilter::Fits(const PlacementRequest& request, size_t host) const {
  uint64_t max = request.spec().max_replicas_per_node.value_or(UINT64_MAX);
  return static_cast<uint64_t>(request.tally.replicas(request.service, host)) < max;
}

Rejection MaxReplicasFilter::Explain(const PlacementRequest& request, size_t host) const {
  int count = request.tally.replicas(request.service, host);
  std::string what = std::to_string(count) + (count == 1 ? " replica" : " replicas") +
                     " (max_replicas_per_node " +
                     std::to_string(request.spec().max_replicas_per_node.value_or(0)) + ")";
  return MakeRejection("already runs " + what, "already run " + what);
}

bool AffinityFilter::Fits(const PlacementRequest& request, size_t host) const {
  return MissingAffinity(request, host) == nullptr;
}

Rejection AffinityFilter::Explain(const PlacementRequest& request, size_t host) const {
  const size_t* missing = MissingAffinity(request, host);
  std::string name = missing ? ServiceName(request, *missing) : "";
  return MakeRejection("does not run " + name + " (affinity)",
                       "do not run " + name + " (affinity)");
}

bool AntiAffinityFilter::Fits(const PlacementRequest& request, size_t host) const {
  return PresentAntiAffinity(request, host) == nullptr;
}

Rejection AntiAffinityFilter::Explain(const PlacementRequest& request, size_t host) const {
  const size_t* present = PresentAntiAffinity(request, host);
  std::string name = present ? ServiceName(request, *present) : "";
  return MakeRejection("runs " + name + " (anti_affinity)", "run " + name + " (anti_affinity)");
}

bool CpuFilter::Fits(const PlacementRequest& request, size_t host) const {
  if (request.host(host).cpus <= 0) return true;
  return request.spec().reserved_cpus <= FreeCpus(request, host) + kCpuSlack;
}

Rejection CpuFilter::Explain(const PlacementRequest& request, size_t host) const {
  double free = FreeCpus(request, host);
  std::string need = FormatCpus(request.spec().reserved_cpus, Rounding::kUp);
  std::string what = "cpus (need " + need + ", free " + FormatCpus(free, Rounding::kDown) + ")";
  return Rejection{"lacks " + what, "lack " + what, "cpus " + need, free};
}

bool MemoryFilter::Fits(const PlacementRequest& request, size_t host) const {
  if (request.host(host).memory <= 0) return true;
  return request.spec().reserved_memory <= FreeMemory(request, host);
}

Rejection MemoryFilter::Explain(const PlacementRequest& request, size_t host) const {
  int64_t free = FreeMemory(request, host);
  std::string need = FormatBytes(request.spec().reserved_memory, Rounding::kUp);
  std::string what = "memory (need " + need + ", free " + FormatBytes(free, Rounding::kDown) + ")";
  return Rejection{"lacks " + what, "lack " + what, "memory " + need, static_cast<double>(free)};
}

bool PortFilter::Fits(const PlacementRequest& request, size_t host) const {
  for (const PublishedPort& port : request.spec().published_ports)
    if (request.tally.Publishes(host, port) || TakenElsewhere(request, host, port)) return false;
  return true;
}

Rejection PortFilter::Explain(const PlacementRequest& request, size_t host) const {
  for (const PublishedPort& port : request.spec().published_ports) {
    std::string text = PortText(port);
    if (request.tally.Publishes(host, port))
      return MakeRejection("already publishes " + text, "already publish " + text);
    if (TakenElsewhere(request, host, port))
      return MakeRejection("has " + text + " taken by another project",
                           "have " + text + " taken by another project");
  }
  return MakeRejection("publishes no conflicting port", "publish no conflicting port");
}

}  // namespace baton::planner
