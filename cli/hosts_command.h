#pragma once
// `baton hosts`: the Docker hosts baton works on.
//   hosts ls               the configured hosts (no connection is made)
//   hosts check [NAME...]  every host (or those named) in parallel: SSH, round trip,
//                          Docker facts
//   hosts import-contexts  add the docker CLI's ssh:// contexts to the hosts file
//   hosts drain HOST       mark HOST drained and move its replicas off it
//                          gracefully (cli/drain_command.h)
//   hosts activate HOST    remove the mark; nothing moves back by itself

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"
#include "transport/host_config.h"
#include "transport/ssh_session.h"

namespace baton::cli {

// Adds the `hosts` command group to `app`, together with the global host
// flags (AddHostOptions), for as long as no other command needs those flags.
void AddHostsCommand(CLI::App& app, Runner& run);
// Adds the `hosts` command group reading flags the caller added to `app`
// with AddHostOptions. Use this form once several commands share them.
void AddHostsCommand(CLI::App& app, std::shared_ptr<const HostOptions> options, Runner& run);
// The same, with the project flags too: `baton -p shop hosts drain lab2`
// moves only shop's replicas now (cli/drain_command.h).
void AddHostsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> options, Runner& run);

// What `baton hosts check` found out about one host.
struct HostCheck {
  std::string name;
  std::string address;
  std::map<std::string, std::string> labels;
  bool reachable = false;
  std::optional<std::chrono::microseconds> ssh_round_trip;  // nullopt: local or not reached
  std::string docker_version;                               // "20.10.24"
  std::string os;                                           // "linux"
  std::string arch;                                         // "amd64"
  std::int64_t cpus = 0;
  std::int64_t memory_bytes = 0;
  std::int64_t containers_running = 0;
  std::string error;                     // why the host is not usable; "" when it is
  std::chrono::milliseconds elapsed{0};  // how long this host's check took
};

// The hosts called `names`, in the order of `hosts`; all of them when `names`
// is empty. kNotFound for a name no host has: `unknown host "lab9" (known:
// lab1, lab2, lab3)`.
Result<std::vector<transport::HostConfig>> HostsNamed(
    const std::vector<transport::HostConfig>& hosts, const std::vector<std::string>& names);

// Checks every host at once, each on its own thread: opens its SSH
// connection, times one keepalive round trip, and asks Docker for its
// version and info through the tunnel. Never fails as a whole: a host's
// failure is its `error`. Result i belongs to hosts[i].
std::vector<HostCheck> CheckHosts(const std::vector<transport::HostConfig>& hosts,
                                  const transport::SshOptions& options);

// What `hosts drain` prints about the replicas still on the host, given
// project -> "service slot" entries: "replicas on lab2 move at the next
// `baton up` of their project, or at once under `baton watch`:\n  shop: web 2, db 1\n";
// "no replicas run on lab2\n" when there are none.
std::string DescribeDrainedReplicas(const std::string& host,
                                    const std::map<std::string, std::vector<std::string>>& replicas);

// The table `hosts check` prints, one row per host, the reason last.
std::string RenderHostChecks(const std::vector<HostCheck>& checks);
// The same as a JSON array (`--format json`).
std::string RenderHostChecksJson(const std::vector<HostCheck>& checks);

}  // namespace baton::cli
