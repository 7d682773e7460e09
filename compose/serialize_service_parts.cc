// The parts of a service that have their own shape in compose's output:
// build, ports, volumes, secret/config references and the healthcheck.
// Field order and omission follow compose's types (omitempty fields are left
// out when empty or false; opt-out booleans are printed only when false).

#include <algorithm>

#include "compose/serialize_nodes.h"

namespace baton::compose::serialize {

namespace {

// compose keeps extra_hosts in a map and prints them sorted.
std::vector<std::string> Sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

Node BindNode(const VolumeMount& mount) {
  Node bind = Node::Mapping();
  PutStringIf(bind, "selinux", mount.bind_selinux);
  PutStringIf(bind, "propagation", mount.bind_propagation);
  // create_host_path defaults to true; compose prints it only when false.
  if (mount.bind_create_host_path == false) Put(bind, "create_host_path", Bool(false));
  return bind;
}

Node VolumeOptionsNode(const VolumeMount& mount) {
  Node volume = Node::Mapping();
  PutTrueIf(volume, "nocopy", mount.volume_nocopy.value_or(false));
  PutStringIf(volume, "subpath", mount.volume_subpath);
  return volume;
}

Node TmpfsNode(const VolumeMount& mount) {
  Node tmpfs = Node::Mapping();
  if (mount.tmpfs_size) Put(tmpfs, "size", Bytes(*mount.tmpfs_size));
  // compose prints the mode as a decimal number (its field is a uint32).
  if (mount.tmpfs_mode) Put(tmpfs, "mode", Int(*mount.tmpfs_mode));
  return tmpfs;
}

}  // namespace

Node BuildNode(const BuildConfig& build) {
  Node node = Node::Mapping();
  PutStringIf(node, "context", build.context);
  PutStringIf(node, "dockerfile", build.dockerfile);
  PutStringIf(node, "dockerfile_inline", build.dockerfile_inline);
  if (!build.args.empty()) Put(node, "args", OptionalStringMapNode(build.args));
  PutListIf(node, "ssh", build.ssh);
  PutMapIf(node, "labels", build.labels);
  PutListIf(node, "cache_from", build.cache_from);
  PutListIf(node, "cache_to", build.cache_to);
  PutMapIf(node, "additional_contexts", build.additional_contexts);
  PutListIf(node, "extra_hosts", Sorted(build.extra_hosts));
  PutStringIf(node, "network", build.network);
  PutStringIf(node, "target", build.target);
  if (!build.secrets.empty()) {
    Node secrets = Node::Sequence();
    for (const FileReference& ref : build.secrets) secrets.Append(FileReferenceNode(ref));
    Put(node, "secrets", std::move(secrets));
  }
  if (build.shm_size) Put(node, "shm_size", Bytes(*build.shm_size));
  PutListIf(node, "tags", build.tags);
  PutListIf(node, "platforms", build.platforms);
  MergeOther(node, build.other);
  OrderKeys(node, {"context", "dockerfile", "dockerfile_inline", "entitlements", "args",
                   "provenance", "sbom", "ssh", "labels", "cache_from", "cache_to", "no_cache",
                   "no_cache_filter", "additional_contexts", "pull", "extra_hosts", "isolation",
                   "network", "target", "secrets", "shm_size", "tags", "ulimits", "platforms",
                   "privileged"});
  PutExtensions(node, build.extensions);
  return node;
}

Node PortNode(const PortConfig& port) {
  Node node = Node::Mapping();
  PutStringIf(node, "name", port.name);
  PutStringIf(node, "mode", port.mode);
  PutStringIf(node, "host_ip", port.host_ip);
  Put(node, "target", Int(port.target));
  PutStringIf(node, "published", port.published);
  PutStringIf(node, "protocol", port.protocol);
  PutStringIf(node, "app_protocol", port.app_protocol);
  return node;
}

Node VolumeMountNode(const VolumeMount& mount) {
  Node node = Node::Mapping();
  PutStringIf(node, "type", mount.type);
  PutStringIf(node, "source", mount.source);
  PutStringIf(node, "target", mount.target);
  PutTrueIf(node, "read_only", mount.read_only);
  PutStringIf(node, "consistency", mount.consistency);
  if (mount.bind_set) Put(node, "bind", BindNode(mount));
  if (mount.volume_set) Put(node, "volume", VolumeOptionsNode(mount));
  Node tmpfs = TmpfsNode(mount);
  if (!tmpfs.entries().empty()) Put(node, "tmpfs", std::move(tmpfs));
  MergeOther(node, mount.other);
  if (Node* bind = node.Find("bind")) {
    OrderKeys(*bind, {"selinux", "propagation", "create_host_path", "recursive"});
  }
  if (Node* volume = node.Find("volume")) OrderKeys(*volume, {"labels", "nocopy", "subpath"});
  OrderKeys(node, {"type", "source", "target", "read_only", "consistency", "bind", "volume",
                   "tmpfs", "image"});
  return node;
}

Node FileReferenceNode(const FileReference& ref) {
  Node node = Node::Mapping();
  PutStringIf(node, "source", ref.source);
  PutStringIf(node, "target", ref.target);
  PutStringIf(node, "uid", ref.uid);
  PutStringIf(node, "gid", ref.gid);
  if (ref.mode) Put(node, "mode", FileModeText(*ref.mode));
  return node;
}

Node HealthcheckNode(const Healthcheck& check) {
  Node node = Node::Mapping();
  PutListIf(node, "test", check.test);
  PutDurationIf(node, "timeout", check.timeout);
  PutDurationIf(node, "interval", check.interval);
  if (check.retries) Put(node, "retries", UInt(*check.retries));
  PutDurationIf(node, "start_period", check.start_period);
  PutDurationIf(node, "start_interval", check.start_interval);
  PutTrueIf(node, "disable", check.disable);
  return node;
}

}  // namespace baton::compose::serialize
