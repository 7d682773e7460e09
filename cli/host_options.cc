#include "cli/host_options.h"

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "base/file_system.h"
#include "transport/duration.h"

namespace baton::cli {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

void AddHostOptions(CLI::App& app, HostOptions& options) {
  app.add_option("--hosts", options.hosts_file,
                 "Hosts file (default: $BATON_HOSTS, else baton.hosts.yaml)")
      ->type_name("FILE");
  // allow_extra_args(false): one address per -H, so `-H ssh://a hosts` never
  // takes the command name for a second address.
  app.add_option("-H", options.addresses, "Docker host ssh://[user@]host[:port] (repeatable)")
      ->allow_extra_args(false)
      ->type_name("ADDRESS");
  app.add_flag("--accept-new-host-keys", options.accept_new_host_keys,
               "Record unknown SSH host keys in known_hosts (trust on first use)");
  app.add_option("--connect-timeout", options.connect_timeout,
                 "SSH connect timeout, e.g. 5s (default: the hosts file's, else 5s)")
      ->type_name("DURATION");
}

Result<transport::HostInventory> SelectHostsFromProcess(const HostOptions& options,
                                                        const std::filesystem::path& default_dir) {
  transport::HostSources sources;
  sources.hosts_file = options.hosts_file;
  sources.addresses = options.addresses;
  sources.env_hosts_file = Env("BATON_HOSTS");
  sources.env_docker_host = Env("DOCKER_HOST");
  sources.default_dir = default_dir;
  RealFileSystem fs;
  return transport::SelectHosts(sources, fs);
}

Result<transport::SshOptions> MakeSshOptions(const HostOptions& options,
                                             const transport::HostsSettings& settings) {
  transport::SshOptions ssh;
  ssh.accept_new_host_keys = options.accept_new_host_keys;
  if (settings.connect_timeout) ssh.connect_timeout = *settings.connect_timeout;
  if (!options.connect_timeout.empty()) {
    auto timeout = transport::ParseDuration(options.connect_timeout);
    if (!timeout.ok()) return Error::Invalid("--connect-timeout", timeout.error().message);
    ssh.connect_timeout = *timeout;
  }
  return ssh;
}

}  // namespace baton::cli
