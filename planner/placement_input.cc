// PlacementInput and PlacementTally, declared in placement_input.h.

#include "planner/placement_input.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "planner/constraint_match.h"

namespace baton::planner {
namespace {

constexpr std::string_view kLabelPrefix = "node.labels.";

std::map<std::string, size_t> IndexByName(const DesiredState& desired) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < desired.services.size(); ++i) index[desired.services[i].name] = i;
  return index;
}

std::vector<size_t> Indices(const std::vector<std::string>& names,
                            const std::map<std::string, size_t>& index) {
  std::vector<size_t> out;
  for (const std::string& name : names)
    if (auto it = index.find(name); it != index.end()) out.push_back(it->second);
  return out;
}

const PlacementHints& NoHints() {
  static const PlacementHints none;
  return none;
}

std::set<std::string> HeldVolumes(const ActualState& actual, const PlacementHints& hints) {
  std::set<std::string> held;
  for (const HostState& host : actual.hosts) held.insert(host.volumes.begin(), host.volumes.end());
  // As in Holds: a hint speaks only for a host whose engine cannot be asked.
  for (const HostState& host : actual.hosts) {
    if (host.reachable) continue;
    for (const auto& [volume, hosts] : hints.volume_hosts)
      if (std::find(hosts.begin(), hosts.end(), host.name) != hosts.end()) held.insert(volume);
  }
  return held;
}

// Anti-affinity holds both ways: a service may not join a host that runs one
// it names, nor one that runs a service naming it.
void AddAntiAffinity(std::vector<ServiceFacts>& facts, const DesiredState& desired,
                     const std::map<std::string, size_t>& index) {
  for (size_t s = 0; s < desired.services.size(); ++s) {
    for (size_t other : Indices(desired.services[s].anti_affinity, index)) {
      facts[s].anti_affinity.push_back(other);
      facts[other].anti_affinity.push_back(s);
    }
  }
  for (ServiceFacts& f : facts) {
    std::sort(f.anti_affinity.begin(), f.anti_affinity.end());
    f.anti_affinity.erase(std::unique(f.anti_affinity.begin(), f.anti_affinity.end()),
                          f.anti_affinity.end());
  }
}

}  // namespace

std::string AttributeValue(const std::string& attribute, const HostState& host) {
  if (attribute == "node.hostname") return host.name;
  if (attribute == "node.platform.os") return host.os;
  if (attribute == "node.platform.arch") return CanonicalArch(host.arch);
  if (attribute.compare(0, kLabelPrefix.size(), kLabelPrefix) == 0) {
    auto it = host.labels.find(attribute.substr(kLabelPrefix.size()));
    return it == host.labels.end() ? "" : it->second;
  }
  return "";
}

PlacementInput::PlacementInput(const DesiredState& desired, const ActualState& actual,
                               const PlacementHints& hints)
    : desired_(desired), actual_(actual), hints_(hints), facts_(desired.services.size()) {
  std::map<std::string, size_t> index = IndexByName(desired);
  std::set<std::string> held = HeldVolumes(actual, hints);
  for (size_t s = 0; s < desired.services.size(); ++s) {
    const ServiceSpec& spec = desired.services[s];
    ServiceFacts& f = facts_[s];
    f.affinity = Indices(spec.affinity, index);
    for (const std::string& volume : spec.local_volumes)
      if (held.count(volume)) f.pinned_volumes.push_back(volume);
    for (const std::string& attribute : spec.spread)
      f.spread_attributes.push_back(InternAttribute(attribute));
  }
  AddAntiAffinity(facts_, desired, index);
}

PlacementInput::PlacementInput(const DesiredState& desired, const ActualState& actual)
    : PlacementInput(desired, actual, NoHints()) {}

// The hint speaks only for hosts whose engine cannot be asked: a reachable
// host's own volume list is the truth, also when a volume was removed there.
bool PlacementInput::Holds(size_t host, const std::string& volume) const {
  if (actual_.hosts[host].volumes.count(volume)) return true;
  if (actual_.hosts[host].reachable) return false;
  auto it = hints_.volume_hosts.find(volume);
  if (it == hints_.volume_hosts.end()) return false;
  return std::find(it->second.begin(), it->second.end(), actual_.hosts[host].name) !=
         it->second.end();
}

// Services often share spread attributes (node.labels.zone), so each
// attribute's values are read from the hosts once.
size_t PlacementInput::InternAttribute(const std::string& attribute) {
  auto known = std::find(attribute_names_.begin(), attribute_names_.end(), attribute);
  if (known != attribute_names_.end()) return known - attribute_names_.begin();
  std::map<std::string, int> ids;
  std::vector<int> values;
  for (const HostState& host : actual_.hosts)
    values.push_back(ids.emplace(AttributeValue(attribute, host), ids.size()).first->second);
  attribute_names_.push_back(attribute);
  attribute_values_.push_back(std::move(values));
  attribute_value_counts_.push_back(static_cast<int>(ids.size()));
  return attribute_names_.size() - 1;
}

PlacementTally::PlacementTally(const PlacementInput& input)
    : input_(input),
      replicas_(input.desired().services.size()),
      totals_(input.host_count()),
      cpus_(input.host_count()),
      memory_(input.host_count()),
      spread_groups_(input.desired().services.size()),
      ports_(input.host_count()) {}

void PlacementTally::Add(size_t service, size_t host) {
  const ServiceSpec& spec = input_.service(service);
  std::vector<int>& counts = replicas_[service];
  if (counts.empty()) counts.resize(input_.host_count());
  ++counts[host];
  ++totals_[host];
  cpus_[host] += spec.reserved_cpus;
  memory_[host] += spec.reserved_memory;
  ports_[host].insert(ports_[host].end(), spec.published_ports.begin(), spec.published_ports.end());
  const std::vector<size_t>& attributes = input_.facts(service).spread_attributes;
  std::vector<std::vector<int>>& groups = spread_groups_[service];
  if (groups.empty()) {
    for (size_t attribute : attributes)
      groups.emplace_back(input_.attribute_value_count(attribute));
  }
  for (size_t k = 0; k < attributes.size(); ++k)
    ++groups[k][input_.attribute_values(attributes[k])[host]];
}

bool PlacementTally::Publishes(size_t host, const PublishedPort& port) const {
  for (const PublishedPort& used : ports_[host]) {
    if (used.port != port.port || used.protocol != port.protocol) continue;
    if (used.host_ip.empty() || port.host_ip.empty() || used.host_ip == port.host_ip) return true;
  }
  return false;
}

}  // namespace baton::planner
