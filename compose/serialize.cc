// The whole project as compose prints it: name, services, then the
// top-level networks, volumes, secrets and configs, then x- extensions.

#include "compose/serialize.h"
#include "compose/serialize_nodes.h"

namespace baton::compose {

using namespace serialize;  // the node builders, internal to serialize*.cc

namespace {

Node IpamNode(const Ipam& ipam) {
  Node node = Node::Mapping();
  PutStringIf(node, "driver", ipam.driver);
  if (!ipam.config.empty()) {
    Node pools = Node::Sequence();
    for (const IpamPool& pool : ipam.config) {
      Node item = Node::Mapping();
      PutStringIf(item, "subnet", pool.subnet);
      PutStringIf(item, "gateway", pool.gateway);
      PutStringIf(item, "ip_range", pool.ip_range);
      PutMapIf(item, "aux_addresses", pool.aux_addresses);
      pools.Append(std::move(item));
    }
    Put(node, "config", std::move(pools));
  }
  PutMapIf(node, "options", ipam.options);
  return node;
}

Node NetworkNode(const Network& network) {
  Node node = Node::Mapping();
  PutStringIf(node, "name", network.name);
  PutStringIf(node, "driver", network.driver);
  PutMapIf(node, "driver_opts", network.driver_opts);
  if (network.ipam) Put(node, "ipam", IpamNode(*network.ipam));
  PutTrueIf(node, "external", network.external);
  PutTrueIf(node, "internal", network.internal);
  PutTrueIf(node, "attachable", network.attachable);
  PutMapIf(node, "labels", network.labels);
  if (network.enable_ipv4) Put(node, "enable_ipv4", Bool(*network.enable_ipv4));
  if (network.enable_ipv6) Put(node, "enable_ipv6", Bool(*network.enable_ipv6));
  PutExtensions(node, network.extensions);
  return node;
}

Node VolumeNode(const Volume& volume) {
  Node node = Node::Mapping();
  PutStringIf(node, "name", volume.name);
  PutStringIf(node, "driver", volume.driver);
  PutMapIf(node, "driver_opts", volume.driver_opts);
  PutTrueIf(node, "external", volume.external);
  PutMapIf(node, "labels", volume.labels);
  PutExtensions(node, volume.extensions);
  return node;
}

// Secrets never show a value. A config's inline `content` is printed, as
// compose does, unless it came from an environment variable.
Node FileObjectNode(const FileObject& object, bool show_content) {
  Node node = Node::Mapping();
  PutStringIf(node, "name", object.name);
  PutStringIf(node, "file", object.file);
  PutStringIf(node, "environment", object.environment);
  if (show_content && object.content && object.environment.empty()) {
    Put(node, "content", String(*object.content));
  }
  PutTrueIf(node, "external", object.external);
  PutMapIf(node, "labels", object.labels);
  PutStringIf(node, "driver", object.driver);
  PutMapIf(node, "driver_opts", object.driver_opts);
  PutStringIf(node, "template_driver", object.template_driver);
  PutExtensions(node, object.extensions);
  return node;
}

template <typename T, typename MakeNode>
void PutSectionIf(Node& root, std::string key, const std::map<std::string, T>& items,
                  MakeNode make) {
  if (items.empty()) return;
  Node section = Node::Mapping();
  for (const auto& [name, item] : items) Put(section, name, make(item));
  Put(root, std::move(key), std::move(section));
}

}  // namespace

Node ProjectToNode(const Project& project) {
  Node root = Node::Mapping();
  PutStringIf(root, "name", project.name);
  Node services = Node::Mapping();  // always printed, `{}` when there are none
  for (const auto& [name, service] : project.services) Put(services, name, ServiceNode(service));
  Put(root, "services", std::move(services));
  PutSectionIf(root, "networks", project.networks, NetworkNode);
  PutSectionIf(root, "volumes", project.volumes, VolumeNode);
  PutSectionIf(root, "secrets", project.secrets,
               [](const FileObject& secret) { return FileObjectNode(secret, false); });
  PutSectionIf(root, "configs", project.configs,
               [](const FileObject& config) { return FileObjectNode(config, true); });
  PutExtensions(root, project.extensions);
  return root;
}

}  // namespace baton::compose
