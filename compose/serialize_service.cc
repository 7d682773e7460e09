// One service as compose prints it. The typed fields and the untyped ones
// kept in Service::other are gathered into one mapping, then put in the
// order of compose's ServiceConfig so `baton config` and `docker compose
// config` print services the same way.

#include <algorithm>

#include "compose/serialize_nodes.h"

namespace baton::compose::serialize {

namespace {

Node EnvFilesNode(const std::vector<EnvFile>& files) {
  Node list = Node::Sequence();
  for (const EnvFile& file : files) {
    Node item = Node::Mapping();
    Put(item, "path", String(file.path));
    if (!file.required) Put(item, "required", Bool(false));  // compose omits the default
    PutStringIf(item, "format", file.format);
    list.Append(std::move(item));
  }
  return list;
}

Node ServiceNetworkNode(const ServiceNetwork& network) {
  Node node = Node::Mapping();
  PutListIf(node, "aliases", network.aliases);
  PutMapIf(node, "driver_opts", network.driver_opts);
  if (network.gw_priority) Put(node, "gw_priority", Int(*network.gw_priority));
  PutStringIf(node, "interface_name", network.interface_name);
  PutStringIf(node, "ipv4_address", network.ipv4_address);
  PutStringIf(node, "ipv6_address", network.ipv6_address);
  PutListIf(node, "link_local_ips", network.link_local_ips);
  PutStringIf(node, "mac_address", network.mac_address);
  if (network.priority) Put(node, "priority", Int(*network.priority));
  return node;
}

Node DependsOnNode(const DependsOn& dependency) {
  Node node = Node::Mapping();
  Put(node, "condition", String(dependency.condition));
  PutTrueIf(node, "restart", dependency.restart);
  Put(node, "required", Bool(dependency.required));  // compose always prints it
  return node;
}

Node UlimitNode(const Ulimit& limit) {
  if (limit.single) return Int(*limit.single);
  Node node = Node::Mapping();
  Put(node, "soft", Int(limit.soft));
  Put(node, "hard", Int(limit.hard));
  return node;
}

template <typename T, typename MakeNode>
void PutEachIf(Node& mapping, std::string key, const std::vector<T>& items, MakeNode make) {
  if (items.empty()) return;
  Node list = Node::Sequence();
  for (const T& item : items) list.Append(make(item));
  Put(mapping, std::move(key), std::move(list));
}

void PutOptionalBool(Node& mapping, std::string key, const std::optional<bool>& value) {
  if (value) Put(mapping, std::move(key), Bool(*value));
}

void PutCommandIf(Node& mapping, std::string key,
                  const std::optional<std::vector<std::string>>& command) {
  // An empty list is kept: `command: []` clears the image's command.
  if (command) Put(mapping, std::move(key), StringList(*command));
}

void PutProcessKeys(Node& node, const Service& service) {
  PutStringIf(node, "image", service.image);
  if (service.build) Put(node, "build", BuildNode(*service.build));
  PutCommandIf(node, "command", service.command);
  PutCommandIf(node, "entrypoint", service.entrypoint);
  if (!service.environment.empty()) {
    Put(node, "environment", OptionalStringMapNode(service.environment));
  }
  if (!service.env_files.empty()) Put(node, "env_file", EnvFilesNode(service.env_files));
  PutMapIf(node, "labels", service.labels);
  PutListIf(node, "label_file", service.label_files);
  PutStringIf(node, "user", service.user);
  PutStringIf(node, "working_dir", service.working_dir);
  PutStringIf(node, "hostname", service.hostname);
  PutStringIf(node, "container_name", service.container_name);
  PutStringIf(node, "platform", service.platform);
  PutStringIf(node, "pull_policy", service.pull_policy);
  PutListIf(node, "profiles", service.profiles);
}

void PutNetworkKeys(Node& node, const Service& service) {
  PutEachIf(node, "ports", service.ports, PortNode);
  PutListIf(node, "expose", service.expose);
  if (!service.networks.empty()) {
    Node networks = Node::Mapping();
    for (const auto& [name, options] : service.networks) {
      Put(networks, name, options ? ServiceNetworkNode(*options) : Node::Null());
    }
    Put(node, "networks", std::move(networks));
  }
  PutStringIf(node, "network_mode", service.network_mode);
  std::vector<std::string> hosts = service.extra_hosts;
  std::sort(hosts.begin(), hosts.end());  // compose keeps them in a map and prints them sorted
  PutListIf(node, "extra_hosts", hosts);
  PutListIf(node, "dns", service.dns);
}

void PutStorageKeys(Node& node, const Service& service) {
  PutEachIf(node, "volumes", service.volumes, VolumeMountNode);
  PutListIf(node, "tmpfs", service.tmpfs);
  PutEachIf(node, "secrets", service.secrets, FileReferenceNode);
  PutEachIf(node, "configs", service.configs, FileReferenceNode);
}

void PutLifecycleKeys(Node& node, const Service& service) {
  if (!service.depends_on.empty()) {
    Node depends_on = Node::Mapping();
    for (const auto& [name, dependency] : service.depends_on) {
      Put(depends_on, name, DependsOnNode(dependency));
    }
    Put(node, "depends_on", std::move(depends_on));
  }
  if (service.healthcheck) Put(node, "healthcheck", HealthcheckNode(*service.healthcheck));
  PutStringIf(node, "restart", service.restart);
  if (service.deploy) Put(node, "deploy", DeployNode(*service.deploy));
  if (service.scale) Put(node, "scale", Int(*service.scale));
  PutStringIf(node, "stop_signal", service.stop_signal);
  PutDurationIf(node, "stop_grace_period", service.stop_grace_period);
  if (service.logging) {
    Node logging = Node::Mapping();
    PutStringIf(logging, "driver", service.logging->driver);
    PutMapIf(logging, "options", service.logging->options);
    Put(node, "logging", std::move(logging));
  }
}

void PutPrivilegeKeys(Node& node, const Service& service) {
  PutListIf(node, "cap_add", service.cap_add);
  PutListIf(node, "cap_drop", service.cap_drop);
  // privileged and read_only are plain booleans in compose, printed only when
  // true; init is optional there too, so an explicit false is printed.
  PutTrueIf(node, "privileged", service.privileged.value_or(false));
  PutTrueIf(node, "read_only", service.read_only.value_or(false));
  PutOptionalBool(node, "init", service.init);
  if (!service.ulimits.empty()) {
    Node ulimits = Node::Mapping();
    for (const auto& [name, limit] : service.ulimits) Put(ulimits, name, UlimitNode(limit));
    Put(node, "ulimits", std::move(ulimits));
  }
  PutMapIf(node, "sysctls", service.sysctls);
}

}  // namespace

Node ServiceNode(const Service& service) {
  Node node = Node::Mapping();
  PutProcessKeys(node, service);
  PutNetworkKeys(node, service);
  PutStorageKeys(node, service);
  PutLifecycleKeys(node, service);
  PutPrivilegeKeys(node, service);
  MergeOther(node, service.other);
  OrderKeys(node, {
      "profiles", "annotations", "attach", "build", "develop", "blkio_config", "cap_add",
      "cap_drop", "cgroup_parent", "cgroup", "cpu_count", "cpu_percent", "cpu_period",
      "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpus", "cpuset", "cpu_shares", "command",
      "configs", "container_name", "credential_spec", "depends_on", "deploy",
      "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "dockerfile",
      "domainname", "entrypoint", "provider", "environment", "env_file", "expose", "extends",
      "external_links", "extra_hosts", "group_add", "gpus", "hostname", "healthcheck", "image",
      "init", "ipc", "isolation", "labels", "label_file", "links", "logging", "log_driver",
      "log_opt", "mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness",
      "mac_address", "models", "net", "network_mode", "networks", "oom_kill_disable",
      "oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged", "pull_policy",
      "read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size",
      "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty",
      "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volume_driver", "volumes",
      "volumes_from", "working_dir", "pre_start", "post_start", "pre_stop", "post_stop"});
  PutExtensions(node, service.extensions);
  return node;
}

}  // namespace baton::compose::serialize
