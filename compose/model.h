#pragma once
// The typed compose model: what a compose project means once loaded,
// merged, interpolated and normalised. The fields the orchestrator acts on
// are typed; every other key of the compose-spec is kept, validated and in
// canonical form, in `other` (a mapping Node), and `x-` extensions are kept
// in `extensions` and ignored by logic.
//
// Field conventions:
// - std::optional marks "not set" where that differs from an empty or zero
//   value (the image's own command vs `command: []`).
// - Durations are nanoseconds (compose uses Go durations: "1m30s").
// - Byte sizes are plain byte counts ("50M" -> 52428800).
// - Paths are absolute after loading (bind sources, build contexts, files).
// - Maps are std::map so iteration order, and so output, is deterministic.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compose/node.h"

namespace baton::compose {

using Duration = std::chrono::nanoseconds;
using StringMap = std::map<std::string, std::string>;
// Environment and build args: a variable may be declared without a value
// (`KEY` alone) when the environment does not define it either.
using OptionalStringMap = std::map<std::string, std::optional<std::string>>;

// --- services -------------------------------------------------------------

struct EnvFile {
  std::string path;       // absolute
  bool required = true;
  std::string format;     // "" or "raw"
};

// One port published or exposed; short forms with ranges are expanded to one
// entry per port, as compose does.
struct PortConfig {
  std::string name;
  std::string mode = "ingress";  // "ingress" or "host"
  std::string host_ip;           // "" = all addresses; IPv6 without brackets
  uint32_t target = 0;           // container port
  std::string published;         // "" (random), "8080" or a range "8080-8090"
  std::string protocol = "tcp";  // "tcp", "udp" or "sctp"
  std::string app_protocol;
};

struct VolumeMount {
  std::string type;    // "volume", "bind", "tmpfs", "npipe", "cluster", "image"
  std::string source;  // volume name, absolute host path, or "" (anonymous)
  std::string target;
  bool read_only = false;
  std::string consistency;
  // type: bind. `bind_set` is true when a bind section exists (short syntax
  // always makes one, as compose does).
  bool bind_set = false;
  std::string bind_propagation;
  std::optional<bool> bind_create_host_path;
  std::string bind_selinux;  // "", "z" or "Z"
  // type: volume
  bool volume_set = false;
  std::optional<bool> volume_nocopy;
  std::string volume_subpath;
  // type: tmpfs
  std::optional<int64_t> tmpfs_size;  // bytes
  std::optional<uint32_t> tmpfs_mode;
  // Keys of the long syntax baton does not act on, canonical.
  Node other = Node::Mapping();
};

struct ServiceNetwork {
  std::vector<std::string> aliases;
  std::string ipv4_address;
  std::string ipv6_address;
  std::string mac_address;
  std::optional<int> priority;
  std::optional<int> gw_priority;
  std::string interface_name;
  std::vector<std::string> link_local_ips;
  StringMap driver_opts;
};

struct DependsOn {
  std::string condition = "service_started";  // service_started|service_healthy|service_completed_successfully
  bool restart = false;
  bool required = true;
};

struct Healthcheck {
  // ["CMD", args...], ["CMD-SHELL", script] or ["NONE"]; empty = inherit the image's.
  std::vector<std::string> test;
  std::optional<Duration> interval;
  std::optional<Duration> timeout;
  std::optional<Duration> start_period;
  std::optional<Duration> start_interval;
  std::optional<uint64_t> retries;
  bool disable = false;
};

// uid, gid and mode are kept as written-normalised text ("103", "0440") so
// that config prints them as compose does; `mode` is parsed as octal.
struct FileReference {
  std::string source;
  std::string target;
  std::string uid;
  std::string gid;
  std::optional<uint32_t> mode;
};

struct BuildConfig {
  std::string context;  // absolute path, or a URL (git, http)
  std::string dockerfile;
  std::string dockerfile_inline;
  OptionalStringMap args;
  std::string target;
  std::string network;
  StringMap labels;
  std::vector<std::string> cache_from;
  std::vector<std::string> cache_to;
  std::vector<std::string> tags;
  std::vector<std::string> platforms;
  std::vector<std::string> ssh;
  std::vector<std::string> extra_hosts;  // "host=ip"
  StringMap additional_contexts;         // local paths made absolute
  std::optional<int64_t> shm_size;       // bytes
  std::vector<FileReference> secrets;
  Node other = Node::Mapping();          // no_cache, pull, privileged, isolation, ulimits, ...
  Node extensions = Node::Mapping();
};

struct ResourceSpec {
  std::optional<double> cpus;
  std::optional<int64_t> memory;  // bytes
  std::optional<int64_t> pids;
  Node devices = Node::Null();            // canonical, passed through
  Node generic_resources = Node::Null();  // canonical, passed through
};

struct RestartPolicy {
  std::string condition;  // "none", "on-failure", "any"
  std::optional<Duration> delay;
  std::optional<uint64_t> max_attempts;
  std::optional<Duration> window;
};

struct UpdateConfig {
  std::optional<uint64_t> parallelism;
  std::optional<Duration> delay;
  std::string failure_action;  // "pause", "continue", "rollback"
  std::optional<Duration> monitor;
  std::optional<double> max_failure_ratio;
  std::string order;           // "stop-first", "start-first"
};

struct PlacementPreference {
  std::string spread;  // e.g. "node.labels.zone"
};

struct Placement {
  std::vector<std::string> constraints;  // "node.labels.zone==eu"
  std::vector<PlacementPreference> preferences;
  std::optional<uint64_t> max_replicas_per_node;
};

struct Deploy {
  std::string mode;  // "", "replicated", "global", "replicated-job", "global-job"
  std::optional<int> replicas;
  StringMap labels;
  std::optional<UpdateConfig> update_config;
  std::optional<UpdateConfig> rollback_config;
  std::optional<ResourceSpec> limits;
  std::optional<ResourceSpec> reservations;
  std::optional<RestartPolicy> restart_policy;
  std::optional<Placement> placement;
  std::string endpoint_mode;  // "", "vip", "dnsrr"
};

struct Ulimit {
  std::optional<int64_t> single;  // `nproc: 65535`
  int64_t soft = 0;               // when `single` is unset
  int64_t hard = 0;
};

struct Logging {
  std::string driver;
  StringMap options;
};

struct Service {
  std::string name;
  // Where the service and each of its keys were written, for errors found
  // after normalisation (undefined references, cycles): marks["networks"].
  Mark mark;
  std::map<std::string, Mark> marks;
  std::vector<std::string> profiles;

  std::string image;
  std::optional<BuildConfig> build;
  std::optional<std::vector<std::string>> command;
  std::optional<std::vector<std::string>> entrypoint;
  OptionalStringMap environment;  // env_file content merged in, as compose does
  std::vector<EnvFile> env_files;
  StringMap labels;               // label_file content merged in
  std::vector<std::string> label_files;  // absolute

  std::vector<PortConfig> ports;
  std::vector<std::string> expose;  // "3000", "8000-8010", "53/udp"
  std::vector<VolumeMount> volumes;
  std::vector<std::string> tmpfs;
  // Service networks by compose name; nullopt = attached with no options.
  std::map<std::string, std::optional<ServiceNetwork>> networks;
  std::string network_mode;
  std::map<std::string, DependsOn> depends_on;

  std::optional<Healthcheck> healthcheck;
  std::string restart;  // "", "no", "always", "on-failure[:N]", "unless-stopped"
  std::optional<Deploy> deploy;
  std::optional<int> scale;

  std::vector<FileReference> secrets;
  std::vector<FileReference> configs;

  std::string user;
  std::string working_dir;
  std::string hostname;
  std::string container_name;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  std::optional<bool> privileged;
  std::optional<bool> read_only;
  std::optional<bool> init;
  std::map<std::string, Ulimit> ulimits;
  StringMap sysctls;
  std::optional<Logging> logging;
  std::string stop_signal;
  std::optional<Duration> stop_grace_period;
  std::string pull_policy;
  std::string platform;
  std::vector<std::string> extra_hosts;  // "host=ip", in the order written
  std::vector<std::string> dns;

  // Every other compose-spec key of the service, validated and canonical
  // (annotations as a map, devices in long form, ...), keyed by its name.
  Node other = Node::Mapping();
  Node extensions = Node::Mapping();
};

// --- top-level resources ---------------------------------------------------

struct IpamPool {
  std::string subnet;
  std::string ip_range;
  std::string gateway;
  StringMap aux_addresses;
};

struct Ipam {
  std::string driver;
  std::vector<IpamPool> config;
  StringMap options;
};

struct Network {
  Mark mark;  // where it was defined, for errors
  std::string name;  // the engine-side name ("shop_default" or `name:`)
  std::string driver;
  StringMap driver_opts;
  std::optional<Ipam> ipam;
  bool external = false;
  bool internal = false;
  bool attachable = false;
  std::optional<bool> enable_ipv4;
  std::optional<bool> enable_ipv6;
  StringMap labels;
  Node extensions = Node::Mapping();
};

struct Volume {
  Mark mark;  // where it was defined, for errors
  std::string name;  // the engine-side name
  std::string driver;
  StringMap driver_opts;
  bool external = false;
  StringMap labels;
  Node extensions = Node::Mapping();
};

// A top-level secret or config. Exactly one source is set unless external.
struct FileObject {
  Mark mark;  // where it was defined, for errors
  std::string name;
  std::string file;         // absolute
  std::string environment;  // variable name
  std::optional<std::string> content;  // configs only
  bool external = false;
  StringMap labels;
  std::string driver;
  StringMap driver_opts;
  std::string template_driver;
  Node extensions = Node::Mapping();
};

struct Project {
  std::string name;
  std::string working_dir;  // absolute project directory
  std::vector<std::string> compose_files;  // absolute, in load order
  std::map<std::string, Service> services;
  // Services excluded by profiles; kept for `config --profiles`.
  std::map<std::string, Service> disabled_services;
  std::map<std::string, Network> networks;
  std::map<std::string, Volume> volumes;
  std::map<std::string, FileObject> secrets;
  std::map<std::string, FileObject> configs;
  Node extensions = Node::Mapping();
};

}  // namespace baton::compose
