#pragma once
// The lab: real Docker hosts on this machine for baton's integration tests.
// `baton lab up|down|status` call these. All need root.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "cli/lab/lab_layout.h"

namespace baton::cli::lab {

struct UpOptions {
  int hosts = 3;                       // 1..kMaxHosts
  std::filesystem::path dir = kDefaultLabDir;
  bool update_user_known_hosts = false;  // also write ~/.ssh/known_hosts
  std::string storage_driver = "overlay2";
};

struct UpSummary {
  std::vector<LabHost> hosts;
  std::vector<std::string> docker_sockets;  // per host, usable from the machine's namespace
  std::chrono::milliseconds elapsed{0};
};

// Removes any earlier lab (also the debris of a killed run), then brings up
// `hosts` hosts and returns once every dockerd answers /_ping with the
// busybox image loaded and every sshd accepts the lab key. On failure the
// half-built lab stays for inspection (logs in DIR/hosts/NAME/log); `down`
// removes it. Errors about one host have where = "host NAME".
Result<UpSummary> Up(const UpOptions& options);

// Removes every trace of a lab: processes (also containers), cgroups,
// namespaces, veths, the bridge, tagged iptables rules, DIR/hosts, the hosts
// file, DIR/known_hosts and the lab's lines in ~/.ssh/known_hosts. Keeps the
// key pairs in DIR. Ok when there is nothing to remove.
Status Down(const LabLayout& layout);

struct HostHealth {
  LabHost host;
  pid_t pin = 0;        // 0: the pin process is gone
  bool network = false;  // its network namespace exists
  Status dockerd, sshd, login;
  bool ok() const { return pin != 0 && network && dockerd.ok() && sshd.ok() && login.ok(); }
};

struct LabHealth {
  bool bridge = false;        // batonlab0 exists
  bool forward_rule = false;  // the tagged FORWARD rule exists
  std::vector<HostHealth> hosts;
  bool empty() const { return !bridge && !forward_rule && hosts.empty(); }
  bool ok() const;
};

// Looks at whatever lab pieces exist (hosts found by DIR/hosts/labN and
// /run/netns/batonlab-labN) and probes each host.
LabHealth Observe(const LabLayout& layout);

// A table: one line per host, then one line per failed probe.
std::string RenderHealth(const LabHealth& health);

}  // namespace baton::cli::lab
