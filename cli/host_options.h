#pragma once
// The host flags shared by every command that reaches Docker hosts:
// --hosts FILE, -H ADDRESS (repeatable), --accept-new-host-keys and
// --connect-timeout. Like the project flags they belong to the top-level app
// (`baton --hosts lab.yaml hosts check`); commands declare fallthrough() so
// they are also accepted after the command name.

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "transport/host_selection.h"
#include "transport/ssh_session.h"

namespace CLI {
class App;
}

namespace baton::cli {

struct HostOptions {
  std::string hosts_file;              // --hosts
  std::vector<std::string> addresses;  // -H, repeatable, in order
  bool accept_new_host_keys = false;   // --accept-new-host-keys
  std::string connect_timeout;         // --connect-timeout ("5s"); "" = hosts file or 5s
};

// Adds the flags to `app`, storing into `options`, which must outlive parsing
// and every command that reads it.
void AddHostOptions(CLI::App& app, HostOptions& options);

// The hosts to work on (transport::SelectHosts), with $BATON_HOSTS and
// $DOCKER_HOST from this process and baton.hosts.yaml looked for in
// `default_dir` (the compose file's directory; "" means the current one).
Result<transport::HostInventory> SelectHostsFromProcess(const HostOptions& options,
                                                        const std::filesystem::path& default_dir);

// SSH settings: --connect-timeout beats the hosts file's
// settings.connect_timeout, which beats 5 s. kInvalid at "--connect-timeout"
// for a bad duration.
Result<transport::SshOptions> MakeSshOptions(const HostOptions& options,
                                             const transport::HostsSettings& settings);

}  // namespace baton::cli
