#pragma once
// What baton knows about a Docker host before connecting to it.

#include <chrono>
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

  bool is_local() const { return ssh.host.empty(); }
  // "ssh://root@10.209.0.11:22", or "unix:///var/run/docker.sock" when local.
  std::string address() const { return is_local() ? "unix://" + socket : ssh.ToString(); }
};

struct HostsSettings {
  std::optional<std::chrono::milliseconds> connect_timeout;
};

// The contents of a hosts file (baton.hosts.yaml).
struct HostsFile {
  std::vector<HostConfig> hosts;
  HostsSettings settings;
};

}  // namespace baton::transport
