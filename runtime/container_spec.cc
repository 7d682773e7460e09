// MakeContainerSpec: the image, command, environment and labels here; each
// other group of service keys in its own container_spec_*.cc, called in
// order below. MakeNetworkSpec and MakeVolumeSpec.

#include "runtime/container_spec.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "planner/labels.h"
#include "runtime/container_spec_parts.h"
#include "runtime/slice_gateway.h"

namespace baton::runtime {
namespace {

namespace labels = planner::labels;
using container_spec::SpecInput;

// Compose's version label; baton writes its own name, so `docker compose`
// on a host can tell who made the container.
constexpr char kComposeVersionLabel[] = "com.docker.compose.version";
constexpr char kComposeVersion[] = "baton";

// The shortest decimal that reads back as `value`: 0.5 -> "0.5", 2 -> "2".
std::string Decimal(double value) {
  char text[32];
  auto [end, error] = std::to_chars(text, text + sizeof text, value);
  return error == std::errc() ? std::string(text, end) : std::to_string(value);
}

std::vector<std::string> Environment(const compose::Service& service) {
  std::vector<std::string> env;
  // A variable declared without a value, and not set where compose ran,
  // is left out, as compose does.
  for (const auto& [key, value] : service.environment)
    if (value) env.push_back(key + "=" + *value);
  return env;
}

// The service's own labels, then compose's and baton's, which win.
Labels ContainerLabels(const SpecInput& in) {
  const planner::ServiceSpec& spec = in.spec;
  Labels out(in.service.labels.begin(), in.service.labels.end());
  out[labels::kProject] = in.desired.project;
  out[labels::kService] = spec.name;
  out[labels::kContainerNumber] = std::to_string(in.slot);
  out[labels::kOneoff] = "False";
  out[labels::kConfigHash] = spec.spec_hash;
  out[kComposeVersionLabel] = kComposeVersion;
  out[labels::kManaged] = "true";
  out[labels::kSlot] = std::to_string(in.slot);
  out[labels::kSpecHash] = spec.spec_hash;
  out[labels::kSpecParts] = nlohmann::json(spec.part_hashes).dump();
  out[labels::kHost] = in.host;
  if (spec.reserved_cpus > 0) out[labels::kReservedCpus] = Decimal(spec.reserved_cpus);
  if (spec.reserved_memory > 0) out[labels::kReservedMemory] = std::to_string(spec.reserved_memory);
  return out;
}

Status AddImageAndCommand(const SpecInput& in, ContainerSpec& spec) {
  const compose::Service& service = in.service;
  // A service that builds runs its digest tag, which the desired state sets
  // as its image when it was made with the project's content.
  if (service.image.empty() && service.build)
    return Error::Internal(in.Where(), "has no image: the desired state has no build digest");
  if (service.image.empty()) return Error::Invalid(in.Where(), "has no image");
  spec.image = service.image;
  spec.cmd = service.command;
  spec.entrypoint = service.entrypoint;
  spec.env = Environment(service);
  return Status::Ok();
}

Labels ResourceLabels(const compose::StringMap& own, const std::string& project,
                      const char* key_label, const std::string& key) {
  Labels out(own.begin(), own.end());
  out[labels::kProject] = project;
  out[key_label] = key;
  out[labels::kManaged] = "true";
  return out;
}

// Every IPAM setting compose allows, in the engine's words: all pools with
// their ranges, gateways and reserved addresses, the driver and its options.
nlohmann::json IpamJson(const compose::Ipam& ipam) {
  nlohmann::json pools = nlohmann::json::array();
  for (const compose::IpamPool& pool : ipam.config) {
    nlohmann::json entry = nlohmann::json::object();
    if (!pool.subnet.empty()) entry["Subnet"] = pool.subnet;
    if (!pool.ip_range.empty()) entry["IPRange"] = pool.ip_range;
    if (!pool.gateway.empty()) entry["Gateway"] = pool.gateway;
    if (!pool.aux_addresses.empty()) entry["AuxiliaryAddresses"] = pool.aux_addresses;
    pools.push_back(entry);
  }
  nlohmann::json out = {{"Driver", ipam.driver.empty() ? "default" : ipam.driver},
                        {"Config", pools}};
  if (!ipam.options.empty()) out["Options"] = ipam.options;
  return out;
}

}  // namespace

namespace container_spec {

compose::ModelPath SpecInput::Path(std::string_view key) const {
  compose::ModelPath path = compose::ModelPath().Key("services").Key(spec.name);
  return key.empty() ? path : path.Key(key);
}

std::string SpecInput::Where(std::string_view key) const { return Where(Path(key), key); }

std::string SpecInput::Where(const compose::ModelPath& path, std::string_view key) const {
  auto mark = key.empty() ? service.marks.end() : service.marks.find(std::string(key));
  return compose::Where(mark != service.marks.end() ? mark->second : service.mark, path);
}

}  // namespace container_spec

Result<ContainerSpec> MakeContainerSpec(const planner::DesiredState& desired,
                                        const planner::ServiceSpec& service, int slot,
                                        const std::string& host, const NetworkSlices& slices,
                                        const FileCopyPaths& copies) {
  SpecInput in{desired, service, service.service, slot, host, slices, copies};
  ContainerSpec spec;
  spec.name = planner::ContainerName(desired.project, service, slot);
  spec.labels = ContainerLabels(in);
  spec.extra = nlohmann::json::object();
  for (auto add : {AddImageAndCommand, container_spec::AddPorts, container_spec::AddMounts,
                   container_spec::AddFiles, container_spec::AddNetworks,
                   container_spec::AddLifecycle, container_spec::AddProcessOptions,
                   container_spec::AddOtherKeys})
    if (Status s = add(in, spec); !s.ok()) return std::move(s).error();
  if (spec.extra.empty()) spec.extra = nullptr;
  return spec;
}

std::vector<planner::SecretUse> SecretsToDeliver(const planner::ServiceSpec& service) {
  std::vector<planner::SecretUse> secrets;
  for (const planner::SecretUse& secret : service.content.secrets)
    if (!container_spec::TakenByVolume(service.service, secret.target)) secrets.push_back(secret);
  return secrets;
}

NetworkSpec MakeNetworkSpec(const planner::DesiredState& desired,
                            const planner::NetworkSpec& network, const std::string& subnet) {
  const compose::Network& n = network.network;
  NetworkSpec spec;
  spec.name = n.name;
  if (!n.driver.empty()) spec.driver = n.driver;
  spec.options = Labels(n.driver_opts.begin(), n.driver_opts.end());
  spec.internal = n.internal;
  spec.attachable = n.attachable;
  if (n.ipam) spec.extra["IPAM"] = IpamJson(*n.ipam);
  if (n.enable_ipv6) spec.extra["EnableIPv6"] = *n.enable_ipv6;
  // Engines before API 1.47 ignore EnableIPv4; a network without IPv4 is
  // then still made with it, as older docker compose does there.
  if (n.enable_ipv4) spec.extra["EnableIPv4"] = *n.enable_ipv4;
  spec.labels = ResourceLabels(n.labels, desired.project, labels::kNetwork, network.key);
  if (!subnet.empty()) {
    // A spanned network has no ipam config of its own (or it would not
    // span): its slice is the whole of it.
    spec.extra["IPAM"] = {{"Driver", "default"},
                          {"Config", {{{"Subnet", subnet}, {"Gateway", SliceGateway(subnet)}}}}};
    spec.labels[labels::kSubnet] = subnet;
  }
  return spec;
}

VolumeSpec MakeVolumeSpec(const planner::DesiredState& desired,
                          const planner::VolumeSpec& volume) {
  const compose::Volume& v = volume.volume;
  VolumeSpec spec;
  spec.name = v.name;
  if (!v.driver.empty()) spec.driver = v.driver;
  spec.driver_options = Labels(v.driver_opts.begin(), v.driver_opts.end());
  spec.labels = ResourceLabels(v.labels, desired.project, labels::kVolume, volume.key);
  return spec;
}

}  // namespace baton::runtime
