// `deploy:` as compose prints it: cpus as a number, memory as a string of
// bytes, durations as Go durations, each sub-section only when set.

#include "compose/serialize_nodes.h"

namespace baton::compose::serialize {

namespace {

Node UpdateConfigNode(const UpdateConfig& update) {
  Node node = Node::Mapping();
  if (update.parallelism) Put(node, "parallelism", UInt(*update.parallelism));
  PutDurationIf(node, "delay", update.delay);
  PutStringIf(node, "failure_action", update.failure_action);
  PutDurationIf(node, "monitor", update.monitor);
  if (update.max_failure_ratio) Put(node, "max_failure_ratio", Double(*update.max_failure_ratio));
  PutStringIf(node, "order", update.order);
  return node;
}

Node ResourceSpecNode(const ResourceSpec& spec) {
  Node node = Node::Mapping();
  if (spec.cpus) Put(node, "cpus", Double(*spec.cpus));
  if (spec.memory) Put(node, "memory", Bytes(*spec.memory));
  if (spec.pids) Put(node, "pids", Int(*spec.pids));
  if (!spec.devices.IsNull()) Put(node, "devices", spec.devices);
  if (!spec.generic_resources.IsNull()) Put(node, "generic_resources", spec.generic_resources);
  return node;
}

Node RestartPolicyNode(const RestartPolicy& policy) {
  Node node = Node::Mapping();
  PutStringIf(node, "condition", policy.condition);
  PutDurationIf(node, "delay", policy.delay);
  if (policy.max_attempts) Put(node, "max_attempts", UInt(*policy.max_attempts));
  PutDurationIf(node, "window", policy.window);
  return node;
}

Node PlacementNode(const Placement& placement) {
  Node node = Node::Mapping();
  PutListIf(node, "constraints", placement.constraints);
  if (!placement.preferences.empty()) {
    Node preferences = Node::Sequence();
    for (const PlacementPreference& preference : placement.preferences) {
      Node item = Node::Mapping();
      PutStringIf(item, "spread", preference.spread);
      preferences.Append(std::move(item));
    }
    Put(node, "preferences", std::move(preferences));
  }
  if (placement.max_replicas_per_node) {
    Put(node, "max_replicas_per_node", UInt(*placement.max_replicas_per_node));
  }
  return node;
}

Node ResourcesNode(const Deploy& deploy) {
  Node node = Node::Mapping();
  if (deploy.limits) Put(node, "limits", ResourceSpecNode(*deploy.limits));
  if (deploy.reservations) Put(node, "reservations", ResourceSpecNode(*deploy.reservations));
  return node;
}

}  // namespace

Node DeployNode(const Deploy& deploy) {
  Node node = Node::Mapping();
  PutStringIf(node, "mode", deploy.mode);
  if (deploy.replicas) Put(node, "replicas", Int(*deploy.replicas));
  PutMapIf(node, "labels", deploy.labels);
  if (deploy.update_config) Put(node, "update_config", UpdateConfigNode(*deploy.update_config));
  if (deploy.rollback_config) {
    Put(node, "rollback_config", UpdateConfigNode(*deploy.rollback_config));
  }
  if (deploy.limits || deploy.reservations) Put(node, "resources", ResourcesNode(deploy));
  if (deploy.restart_policy) {
    Put(node, "restart_policy", RestartPolicyNode(*deploy.restart_policy));
  }
  if (deploy.placement) Put(node, "placement", PlacementNode(*deploy.placement));
  PutStringIf(node, "endpoint_mode", deploy.endpoint_mode);
  return node;
}

}  // namespace baton::compose::serialize
