#pragma once
// What baton knows about a Docker host before connecting to it.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "transport/ssh_address.h"

namespace baton::transport {

// The Docker socket path on a host when the hosts file names none.
inline constexpr const char* kDefaultDockerSocket = "/var/run/docker.sock";
// The name of the host baton uses when no hosts are configured.
inline constexpr const char* kLocalHostName = "local";

struct HostConfig {
  std::string name;
  // Empty host: the local engine, reached directly through `socket`.
  SshAddress ssh;
  std::string socket = kDefaultDockerSocket;  // Docker's socket path on that host
  std::filesystem::path identity_file;        // empty: ssh-agent, ~/.ssh/config, defaults
  std::filesystem::path known_hosts_file;     // empty: ~/.ssh/known_hosts (or ssh config)
  std::map<std::string, std::string> labels;
  // The IPv4 address the other hosts reach this one at, for cluster
  // networking (`cluster_address:`); empty: the SSH host when it is an IPv4
  // address, else that name resolved by the machine running baton.
  std::string cluster_address;

  bool is_local() const { return ssh.host.empty(); }
  // "ssh://root@10.209.0.11:22", or "unix:///var/run/docker.sock" when local.
  std::string address() const { return is_local() ? "unix://" + socket : ssh.ToString(); }
};

// Cluster networking (issue 5), the hosts file's `cluster:` mapping: spanned
// compose networks take a /slice_prefix of `subnet` per (network, host).
struct ClusterSettings {
  std::string subnet = "10.210.0.0/16";
  int slice_prefix = 24;
  std::string overlay = "auto";  // auto | routes | vxlan
  std::vector<std::string> dns_upstream;  // empty: each host's own resolvers
  uint16_t sync_port = 7947;
};

struct HostsSettings {
  std::optional<std::chrono::milliseconds> connect_timeout;
};

// The contents of a hosts file (baton.hosts.yaml).
struct HostsFile {
  std::vector<HostConfig> hosts;
  HostsSettings settings;
  ClusterSettings cluster;
};

}  // namespace baton::transport
