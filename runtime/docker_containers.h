#pragma once
// Containers as baton asks for them and reads them back. Only the fields
// baton uses are typed; `extra` and `raw` carry everything else through.

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace baton::runtime {

using Labels = std::map<std::string, std::string>;

// The value of label `key`; "" when the container has no such label.
inline std::string LabelOf(const Labels& labels, const std::string& key) {
  auto it = labels.find(key);
  return it == labels.end() ? std::string() : it->second;
}

// One published port: container_port "80/tcp" on host_ip:host_port. An empty
// host_port lets the engine pick one; an empty host_ip means all addresses.
struct PortBinding {
  std::string container_port;
  std::string host_ip;
  std::string host_port;
  bool operator==(const PortBinding&) const = default;
};

struct RestartPolicy {
  std::string name;   // "", "no", "always", "unless-stopped", "on-failure"
  int max_retry = 0;  // on-failure only
};

struct HostConfigSpec {
  std::vector<std::string> binds;  // "volume-or-path:/in/container[:ro]"
  std::vector<PortBinding> port_bindings;
  std::string network_mode;  // "" (engine default), "bridge", "host", "none", a network name
  RestartPolicy restart_policy;
  std::int64_t memory_bytes = 0;  // 0: no limit
  std::int64_t nano_cpus = 0;     // 1e9 per CPU; 0: no limit
};

// How a container joins one network.
struct EndpointSpec {
  std::vector<std::string> aliases;
  std::string ipv4_address;  // "" lets the engine choose
};

// POST /containers/create.
struct ContainerSpec {
  std::string name;  // "" lets the engine make one up
  std::string image;
  std::optional<std::vector<std::string>> cmd;         // unset: the image's
  std::optional<std::vector<std::string>> entrypoint;  // unset: the image's
  std::vector<std::string> env;                        // "KEY=value"
  Labels labels;
  std::vector<std::string> exposed_ports;  // "80/tcp"
  HostConfigSpec host_config;
  std::map<std::string, EndpointSpec> networks;  // by network name
  // Merged over the generated body last (JSON merge patch, RFC 7386), for
  // fields not typed above: {"HostConfig": {"CapAdd": ["NET_ADMIN"]}}.
  nlohmann::json extra;
};

struct ContainerCreated {
  std::string id;
  std::vector<std::string> warnings;
};

struct ContainerState {
  std::string status;  // "created", "running", "paused", "restarting", "removing", "exited", "dead"
  bool running = false;
  bool paused = false;
  bool restarting = false;
  bool oom_killed = false;
  bool dead = false;
  std::int64_t pid = 0;
  std::int64_t exit_code = 0;
  std::string error;
  std::string started_at;   // RFC 3339
  std::string finished_at;  // RFC 3339
  std::string health;       // "" without a healthcheck, else "starting", "healthy", "unhealthy"
};

// A container's place on one network, as the engine reports it.
struct EndpointInfo {
  std::string network_id;
  std::string ip_address;
  std::vector<std::string> aliases;
};

// GET /containers/{id}/json.
struct ContainerInfo {
  std::string id;
  std::string name;      // without Docker's leading "/"
  std::string image;     // as asked for at create: "baton/busybox:lab"
  std::string image_id;  // "sha256:..."
  std::string created;   // RFC 3339
  Labels labels;
  bool tty = false;
  ContainerState state;
  std::int64_t restart_count = 0;
  std::map<std::string, EndpointInfo> networks;  // by network name
  std::vector<PortBinding> ports;                // bindings in effect
  nlohmann::json raw;
};

// One entry of GET /containers/json.
struct ContainerSummary {
  std::string id;
  std::string name;  // the first name, without the leading "/"
  std::string image;
  std::string image_id;
  std::string command;
  std::int64_t created = 0;  // unix seconds
  std::string state;         // "running", "exited", ...
  std::string status;        // "Up 3 minutes"
  Labels labels;
  nlohmann::json raw;
};

struct RemoveContainerOptions {
  bool force = false;    // kill it first if it runs
  bool volumes = false;  // also remove its anonymous volumes
};

enum class WaitCondition { kNotRunning, kNextExit, kRemoved };

struct LogOptions {
  bool include_stdout = true;
  bool include_stderr = true;
  bool follow = false;  // keep streaming new output until stopped
  bool timestamps = false;
  std::string since;         // unix seconds or RFC 3339; "" from the start
  std::string until;         // "" until now
  std::string tail = "all";  // or a number of lines
};

// Captured output, stdout and stderr apart. With a TTY all of it is in `out`.
struct CapturedOutput {
  std::string out;
  std::string err;
};

// One sample of GET /containers/{id}/stats?stream=false&one-shot=true.
struct ContainerStats {
  std::string read;                 // when the sample was taken, RFC 3339
  std::uint64_t cpu_total_ns = 0;   // the container's CPU time so far
  std::uint64_t system_cpu_ns = 0;  // the host's CPU time so far
  std::uint32_t online_cpus = 0;
  std::uint64_t memory_usage_bytes = 0;
  std::uint64_t memory_limit_bytes = 0;
  std::uint64_t pids = 0;
  std::uint64_t network_rx_bytes = 0;  // summed over interfaces
  std::uint64_t network_tx_bytes = 0;
  nlohmann::json raw;
};

// CPU use between two samples of the same container, in percent of one CPU
// (so up to 100 * online_cpus), as `docker stats` shows it. 0 when the
// samples are not in order.
double CpuPercent(const ContainerStats& before, const ContainerStats& after);

struct ExecSpec {
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // "KEY=value", added to the container's
  std::string user;
  std::string working_dir;
  std::chrono::milliseconds timeout{60000};  // for the command to finish; 0: none
};

struct ExecResult {
  std::int64_t exit_code = 0;
  CapturedOutput output;
};

}  // namespace baton::runtime
