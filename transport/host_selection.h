#pragma once
// Which hosts a command runs on. In order of precedence: -H addresses, the
// --hosts file, $BATON_HOSTS, baton.hosts.yaml beside the compose file, and
// finally the local engine ($DOCKER_HOST or /var/run/docker.sock) as a single
// host named "local". Pure apart from reading the hosts file through `fs`;
// the environment comes in as values.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_system.h"
#include "base/result.h"
#include "transport/host_config.h"

namespace baton::transport {

struct HostSources {
  std::filesystem::path hosts_file;    // --hosts; empty when not given
  std::vector<std::string> addresses;  // -H values, in order
  std::string env_hosts_file;          // $BATON_HOSTS
  std::string env_docker_host;         // $DOCKER_HOST
  std::filesystem::path default_dir;   // where baton.hosts.yaml is looked for
};

struct HostInventory {
  std::vector<HostConfig> hosts;
  HostsSettings settings;
  // Where the hosts came from, for messages: a file path, "-H", or "local engine".
  std::string origin;
  // The hosts file's `cluster:` settings; the defaults for hosts from -H,
  // $DOCKER_HOST or the local engine.
  ClusterSettings cluster;
};

// Chooses the hosts. Errors are kInvalid (or kNotFound for a named hosts file
// that does not exist) and name their source: "-H tcp://x", the file
// position, or "$DOCKER_HOST". --hosts and -H together are refused rather
// than guessing which one wins.
Result<HostInventory> SelectHosts(const HostSources& sources, FileSystem& fs);

// One -H value: "ssh://[user@]host[:port]" (named after the host) or
// "unix:///path" (the local engine, named "local").
Result<HostConfig> HostFromAddress(std::string_view text);

}  // namespace baton::transport
