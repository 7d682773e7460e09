// A service's `ports` and `volumes`, both sequences of long-syntax mappings
// once canonical.

#include <array>
#include <span>

#include "compose/normalise_parts.h"
#include "compose/normalise_read.h"

namespace baton::compose::normalise {
namespace {

Status PortTarget(const Node& v, const ModelPath& at, PortConfig& p) {
  Result<int64_t> port = ReadInt(v, at);
  if (!port.ok()) return std::move(port).error();
  if (*port < 1 || *port > 65535)
    return Error::Invalid(Where(v, at), "port " + std::to_string(*port) + " out of range 1-65535");
  p.target = static_cast<uint32_t>(*port);
  return Status::Ok();
}

// IPv6 host addresses are kept without brackets.
Status PortHostIp(const Node& v, const ModelPath& at, PortConfig& p) {
  if (Status s = Assign(ReadString(v, at), p.host_ip); !s.ok()) return s;
  if (p.host_ip.size() >= 2 && p.host_ip.front() == '[' && p.host_ip.back() == ']')
    p.host_ip = p.host_ip.substr(1, p.host_ip.size() - 2);
  return Status::Ok();
}

constexpr auto kPortFields = std::to_array<Field<PortConfig>>({
    {"name", Into<ReadString, &PortConfig::name>},
    {"mode", Into<ReadString, &PortConfig::mode>},
    {"host_ip", PortHostIp},
    {"target", PortTarget},
    {"published", Into<ReadString, &PortConfig::published>},
    {"protocol", Into<ReadString, &PortConfig::protocol>},
    {"app_protocol", Into<ReadString, &PortConfig::app_protocol>},
});

using MountField = Field<VolumeMount>;

constexpr auto kBindFields = std::to_array<MountField>({
    {"propagation", Into<ReadString, &VolumeMount::bind_propagation>},
    {"create_host_path", Into<ReadBool, &VolumeMount::bind_create_host_path>},
    {"selinux", Into<ReadString, &VolumeMount::bind_selinux>},
});

constexpr auto kVolumeFields = std::to_array<MountField>({
    {"nocopy", Into<ReadBool, &VolumeMount::volume_nocopy>},
    {"subpath", Into<ReadString, &VolumeMount::volume_subpath>},
});

constexpr auto kTmpfsFields = std::to_array<MountField>({
    {"size", Into<ReadBytes, &VolumeMount::tmpfs_size>},
    {"mode", Into<ReadFileMode, &VolumeMount::tmpfs_mode>},
});

// Reads one option section (bind, volume, tmpfs, image): typed keys into the
// mount, the others into other.<section>.<key>, as serialize's MergeOther
// puts them back.
Status ReadSection(const Node& node, const ModelPath& at, std::string_view section,
                   std::span<const MountField> fields, VolumeMount& mount) {
  if (node.IsNull()) return Status::Ok();
  if (Status s = RequireMapping(node, at); !s.ok()) return s;
  for (const MapEntry& e : node.entries()) {
    if (const MountField* field = FindField(fields, e.key)) {
      if (Status s = field->read(e.value, at.Key(e.key), mount); !s.ok()) return s;
      continue;
    }
    Node* kept = mount.other.Find(section);
    if (!kept) kept = &mount.other.Set(std::string(section), Node::Mapping(node.mark()));
    kept->Set(e.key, e.value, e.key_mark);
  }
  return Status::Ok();
}

constexpr auto kMountFields = std::to_array<MountField>({
    {"type", Into<ReadString, &VolumeMount::type>},
    {"source", Into<ReadString, &VolumeMount::source>},
    {"target", Into<ReadString, &VolumeMount::target>},
    {"read_only", Into<ReadBool, &VolumeMount::read_only>},
    {"consistency", Into<ReadString, &VolumeMount::consistency>},
    {"bind",
     [](const Node& v, const ModelPath& at, VolumeMount& m) {
       m.bind_set = true;
       return ReadSection(v, at, "bind", kBindFields, m);
     }},
    {"volume",
     [](const Node& v, const ModelPath& at, VolumeMount& m) {
       m.volume_set = true;
       return ReadSection(v, at, "volume", kVolumeFields, m);
     }},
    {"tmpfs",
     [](const Node& v, const ModelPath& at, VolumeMount& m) {
       return ReadSection(v, at, "tmpfs", kTmpfsFields, m);
     }},
});

}  // namespace

Status ReadPorts(const Node& node, const ModelPath& at, Service& service) {
  if (Status s = RequireSequence(node, at); !s.ok()) return s;
  service.ports.clear();
  for (size_t i = 0; i < node.items().size(); ++i) {
    PortConfig port;
    Status s = ReadFields<PortConfig>(node.items()[i], at.Index(i), kPortFields, port);
    if (!s.ok()) return s;
    if (port.target == 0)
      return Error::Invalid(Where(node.items()[i], at.Index(i)), "missing key \"target\"");
    service.ports.push_back(std::move(port));
  }
  return Status::Ok();
}

Status ReadVolumeMounts(const Node& node, const ModelPath& at, Service& service) {
  if (Status s = RequireSequence(node, at); !s.ok()) return s;
  service.volumes.clear();
  for (size_t i = 0; i < node.items().size(); ++i) {
    const Node& item = node.items()[i];
    VolumeMount mount;
    // Untyped keys (image, x-...) are kept whole in `other`.
    Status s = ReadFields<VolumeMount>(item, at.Index(i), kMountFields, mount,
                                       {&mount.other, &mount.other});
    if (!s.ok()) return s;
    if (mount.type.empty())
      return Error::Invalid(Where(item, at.Index(i)), "missing key \"type\"");
    service.marks["volumes[" + std::to_string(i) + "]"] = item.mark();
    service.volumes.push_back(std::move(mount));
  }
  return Status::Ok();
}

}  // namespace baton::compose::normalise
