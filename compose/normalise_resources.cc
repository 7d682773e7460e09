// The top-level resources: networks, volumes, secrets and configs. A null
// entry (`some-network:`) is a resource with every default.

#include <array>
#include <span>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

// Fields every resource type shares, by member pointer.
template <typename T, std::string T::*member>
Status ResourceString(const Node& v, const ModelPath& at, T& r) {
  return Assign(ReadString(v, at), r.*member);
}

template <typename T, StringMap T::*member>
Status ResourceMap(const Node& v, const ModelPath& at, T& r) {
  return Assign(ReadStringMap(v, at), r.*member);
}

template <typename T, bool T::*member>
Status ResourceBool(const Node& v, const ModelPath& at, T& r) {
  return Assign(ReadBool(v, at), r.*member);
}

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
    {"subnet", ResourceString<IpamPool, &IpamPool::subnet>},
    {"ip_range", ResourceString<IpamPool, &IpamPool::ip_range>},
    {"gateway", ResourceString<IpamPool, &IpamPool::gateway>},
    {"aux_addresses", ResourceMap<IpamPool, &IpamPool::aux_addresses>},
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
    {"driver", ResourceString<Ipam, &Ipam::driver>},
    {"config", ReadIpamConfig},
    {"options", ResourceMap<Ipam, &Ipam::options>},
});

Status ReadIpam(const Node& v, const ModelPath& at, Network& n) {
  Ipam ipam;
  if (Status s = ReadFields<Ipam>(v, at, kIpamFields, ipam); !s.ok()) return s;
  n.ipam = std::move(ipam);
  return Status::Ok();
}

template <std::optional<bool> Network::*member>
Status NetworkOptionalBool(const Node& v, const ModelPath& at, Network& n) {
  return Assign(ReadBool(v, at), n.*member);
}

constexpr auto kNetworkFields = std::to_array<Field<Network>>({
    {"name", ResourceString<Network, &Network::name>},
    {"driver", ResourceString<Network, &Network::driver>},
    {"driver_opts", ResourceMap<Network, &Network::driver_opts>},
    {"ipam", ReadIpam},
    {"external", ResourceExternal<Network>},
    {"internal", ResourceBool<Network, &Network::internal>},
    {"attachable", ResourceBool<Network, &Network::attachable>},
    {"enable_ipv4", NetworkOptionalBool<&Network::enable_ipv4>},
    {"enable_ipv6", NetworkOptionalBool<&Network::enable_ipv6>},
    {"labels", ResourceMap<Network, &Network::labels>},
});

constexpr auto kVolumeFields = std::to_array<Field<Volume>>({
    {"name", ResourceString<Volume, &Volume::name>},
    {"driver", ResourceString<Volume, &Volume::driver>},
    {"driver_opts", ResourceMap<Volume, &Volume::driver_opts>},
    {"external", ResourceExternal<Volume>},
    {"labels", ResourceMap<Volume, &Volume::labels>},
});

constexpr auto kFileObjectFields = std::to_array<Field<FileObject>>({
    {"name", ResourceString<FileObject, &FileObject::name>},
    {"file", ResourceString<FileObject, &FileObject::file>},
    {"environment", ResourceString<FileObject, &FileObject::environment>},
    {"content",
     [](const Node& v, const ModelPath& at, FileObject& f) {
       return Assign(ReadString(v, at), f.content);
     }},
    {"external", ResourceExternal<FileObject>},
    {"labels", ResourceMap<FileObject, &FileObject::labels>},
    {"driver", ResourceString<FileObject, &FileObject::driver>},
    {"driver_opts", ResourceMap<FileObject, &FileObject::driver_opts>},
    {"template_driver", ResourceString<FileObject, &FileObject::template_driver>},
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
