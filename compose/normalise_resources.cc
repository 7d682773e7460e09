// The top-level resources: networks, volumes, secrets and configs. A null
// entry (`some-network:`) is a resource with every default.

#include <array>
#include <span>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

// `external: true`, or the legacy `external: {name: x}` that also names it.
template <typename T>
Status ResourceExternal(const Node& v, const ModelPath& at, T& r) {
  if (!v.IsMapping()) return Assign(ReadBool(v, at), r.external);
  r.external = true;
  for (const MapEntry& e : v.entries()) {
    if (e.key != "name")
      return Error::Invalid(Where(e.key_mark, at.Key(e.key)), "unknown key \"" + e.key + "\"");
    if (r.name.empty()) {
      if (Status s = Assign(ReadString(e.value, at.Key(e.key)), r.name); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

constexpr auto kPoolFields = std::to_array<Field<IpamPool>>({
    {"subnet", Into<ReadString, &IpamPool::subnet>},
    {"ip_range", Into<ReadString, &IpamPool::ip_range>},
    {"gateway", Into<ReadString, &IpamPool::gateway>},
    {"aux_addresses", Into<ReadStringMap, &IpamPool::aux_addresses>},
});

Status ReadIpamConfig(const Node& v, const ModelPath& at, Ipam& ipam) {
  if (Status s = RequireSequence(v, at); !s.ok()) return s;
  for (size_t i = 0; i < v.items().size(); ++i) {
    IpamPool pool;
    if (Status s = ReadFields<IpamPool>(v.items()[i], at.Index(i), kPoolFields, pool); !s.ok())
      return s;
    ipam.config.push_back(std::move(pool));
  }
  return Status::Ok();
}

constexpr auto kIpamFields = std::to_array<Field<Ipam>>({
    {"driver", Into<ReadString, &Ipam::driver>},
    {"config", ReadIpamConfig},
    {"options", Into<ReadStringMap, &Ipam::options>},
});

Status ReadIpam(const Node& v, const ModelPath& at, Network& n) {
  Ipam ipam;
  if (Status s = ReadFields<Ipam>(v, at, kIpamFields, ipam); !s.ok()) return s;
  n.ipam = std::move(ipam);
  return Status::Ok();
}

constexpr auto kNetworkFields = std::to_array<Field<Network>>({
    {"name", Into<ReadString, &Network::name>},
    {"driver", Into<ReadString, &Network::driver>},
    {"driver_opts", Into<ReadStringMap, &Network::driver_opts>},
    {"ipam", ReadIpam},
    {"external", ResourceExternal<Network>},
    {"internal", Into<ReadBool, &Network::internal>},
    {"attachable", Into<ReadBool, &Network::attachable>},
    {"enable_ipv4", Into<ReadBool, &Network::enable_ipv4>},
    {"enable_ipv6", Into<ReadBool, &Network::enable_ipv6>},
    {"labels", Into<ReadStringMap, &Network::labels>},
});

constexpr auto kVolumeFields = std::to_array<Field<Volume>>({
    {"name", Into<ReadString, &Volume::name>},
    {"driver", Into<ReadString, &Volume::driver>},
    {"driver_opts", Into<ReadStringMap, &Volume::driver_opts>},
    {"external", ResourceExternal<Volume>},
    {"labels", Into<ReadStringMap, &Volume::labels>},
});

constexpr auto kFileObjectFields = std::to_array<Field<FileObject>>({
    {"name", Into<ReadString, &FileObject::name>},
    {"file", Into<ReadString, &FileObject::file>},
    {"environment", Into<ReadString, &FileObject::environment>},
    {"content", Into<ReadString, &FileObject::content>},
    {"external", ResourceExternal<FileObject>},
    {"labels", Into<ReadStringMap, &FileObject::labels>},
    {"driver", Into<ReadString, &FileObject::driver>},
    {"driver_opts", Into<ReadStringMap, &FileObject::driver_opts>},
    {"template_driver", Into<ReadString, &FileObject::template_driver>},
});

// Reads every entry of a top-level resource mapping into `out`.
template <typename T>
Status ReadResources(const Node& node, const ModelPath& at, std::span<const Field<T>> fields,
                     std::map<std::string, T>& out) {
  if (node.IsNull()) return Status::Ok();
  if (Status s = RequireMapping(node, at); !s.ok()) return s;
  for (const MapEntry& e : node.entries()) {
    T resource;
    resource.mark = e.key_mark;
    if (!e.value.IsNull()) {
      Status s = ReadFields<T>(e.value, at.Key(e.key), fields, resource,
                               {nullptr, &resource.extensions});
      if (!s.ok()) return s;
    }
    out[e.key] = std::move(resource);
  }
  return Status::Ok();
}

}  // namespace

Status ReadNetworks(const Node& node, const ModelPath& at, Project& project) {
  return ReadResources<Network>(node, at, kNetworkFields, project.networks);
}

Status ReadVolumes(const Node& node, const ModelPath& at, Project& project) {
  return ReadResources<Volume>(node, at, kVolumeFields, project.volumes);
}

Status ReadSecrets(const Node& node, const ModelPath& at, Project& project) {
  // Secrets share the config fields but `content`, which is for configs only.
  if (node.IsMapping()) {
    for (const MapEntry& e : node.entries()) {
      const MapEntry* content = e.value.IsMapping() ? e.value.FindEntry("content") : nullptr;
      if (content)
        return Error::Invalid(Where(content->key_mark, at.Key(e.key).Key("content")),
                              "unknown key \"content\"");
    }
  }
  return ReadResources<FileObject>(node, at, kFileObjectFields, project.secrets);
}

Status ReadConfigs(const Node& node, const ModelPath& at, Project& project) {
  return ReadResources<FileObject>(node, at, kFileObjectFields, project.configs);
}

}  // namespace baton::compose::normalise
