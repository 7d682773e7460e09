// What a service refers to by name: its networks, the services it depends
// on, its secrets and configs. Each reference's mark is kept in
// Service::marks so that validation can point at it.

#include <array>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

template <std::optional<int> ServiceNetwork::*member>
Status NetworkPriority(const Node& v, const ModelPath& at, ServiceNetwork& n) {
  return Assign(ReadInt32(v, at, "priority"), n.*member);
}

constexpr auto kServiceNetworkFields = std::to_array<Field<ServiceNetwork>>({
    {"aliases", Into<ReadStringList, &ServiceNetwork::aliases>},
    {"ipv4_address", Into<ReadString, &ServiceNetwork::ipv4_address>},
    {"ipv6_address", Into<ReadString, &ServiceNetwork::ipv6_address>},
    {"mac_address", Into<ReadString, &ServiceNetwork::mac_address>},
    {"priority", NetworkPriority<&ServiceNetwork::priority>},
    {"gw_priority", NetworkPriority<&ServiceNetwork::gw_priority>},
    {"interface_name", Into<ReadString, &ServiceNetwork::interface_name>},
    {"link_local_ips", Into<ReadStringList, &ServiceNetwork::link_local_ips>},
    {"driver_opts", Into<ReadStringMap, &ServiceNetwork::driver_opts>},
});

constexpr auto kDependsOnFields = std::to_array<Field<DependsOn>>({
    {"condition", Into<ReadString, &DependsOn::condition>},
    {"restart", Into<ReadBool, &DependsOn::restart>},
    {"required", Into<ReadBool, &DependsOn::required>},
});

constexpr auto kFileReferenceFields = std::to_array<Field<FileReference>>({
    {"source", Into<ReadString, &FileReference::source>},
    {"target", Into<ReadString, &FileReference::target>},
    {"uid", Into<ReadString, &FileReference::uid>},
    {"gid", Into<ReadString, &FileReference::gid>},
    {"mode", Into<ReadFileMode, &FileReference::mode>},
});

}  // namespace

Status ReadServiceNetworks(const Node& node, const ModelPath& at, Service& service) {
  if (Status s = RequireMapping(node, at); !s.ok()) return s;
  service.networks.clear();
  for (const MapEntry& e : node.entries()) {
    service.marks["networks." + e.key] = e.key_mark;
    if (e.value.IsNull()) {
      service.networks[e.key] = std::nullopt;
      continue;
    }
    ServiceNetwork network;
    Status s = ReadFields<ServiceNetwork>(e.value, at.Key(e.key), kServiceNetworkFields, network);
    if (!s.ok()) return s;
    service.networks[e.key] = std::move(network);
  }
  return Status::Ok();
}

Status ReadDependsOn(const Node& node, const ModelPath& at, Service& service) {
  if (Status s = RequireMapping(node, at); !s.ok()) return s;
  service.depends_on.clear();
  for (const MapEntry& e : node.entries()) {
    service.marks["depends_on." + e.key] = e.key_mark;
    DependsOn dependency;
    if (!e.value.IsNull()) {
      Status s = ReadFields<DependsOn>(e.value, at.Key(e.key), kDependsOnFields, dependency);
      if (!s.ok()) return s;
    }
    service.depends_on[e.key] = dependency;
  }
  return Status::Ok();
}

Result<std::vector<FileReference>> ReadFileReferences(const Node& node, const ModelPath& at,
                                                      const std::string& prefix,
                                                      Service& service) {
  if (Status s = RequireSequence(node, at); !s.ok()) return std::move(s).error();
  std::vector<FileReference> refs;
  for (size_t i = 0; i < node.items().size(); ++i) {
    const Node& item = node.items()[i];
    ModelPath item_at = at.Index(i);
    FileReference ref;
    Status s = ReadFields<FileReference>(item, item_at, kFileReferenceFields, ref);
    if (!s.ok()) return std::move(s).error();
    if (ref.source.empty())
      return Error::Invalid(Where(item, item_at), "missing key \"source\"");
    service.marks[prefix + "[" + std::to_string(i) + "]"] = item.mark();
    refs.push_back(std::move(ref));
  }
  return refs;
}

Status ReadSecretReferences(const Node& node, const ModelPath& at, Service& service) {
  return Assign(ReadFileReferences(node, at, "secrets", service), service.secrets);
}

Status ReadConfigReferences(const Node& node, const ModelPath& at, Service& service) {
  return Assign(ReadFileReferences(node, at, "configs", service), service.configs);
}

}  // namespace baton::compose::normalise
