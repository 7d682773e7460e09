#pragma once
// Reading baton.hosts.yaml:
//
//   hosts:
//     - name: lab1
//       address: ssh://root@10.209.0.11:22
//       identity_file: /path/key            # optional
//       known_hosts_file: /path/known_hosts # optional
//       socket: /var/run/docker.sock        # optional
//       labels: {zone: a}                   # optional
//       cluster_address: 10.0.0.11          # optional: the IPv4 peers reach it at
//   settings:                               # optional
//     connect_timeout: 5s
//   cluster:                                # optional: cluster networking (issue 5)
//     subnet: 10.210.0.0/16                 # spanned networks' address space
//     slice_prefix: 24                      # one slice per (network, host)
//     overlay: auto                         # auto | routes | vxlan
//     dns_upstream: [10.0.0.2]              # default: each host's resolv.conf
//     sync_port: 7947                       # TCP, netd's peer sync
//
// Unknown and duplicate keys are errors, so a typo never silently drops a
// setting. Every error is kInvalid at "FILE:LINE:COL: hosts[0].address".

#include <filesystem>
#include <string>
#include <string_view>

#include "base/file_system.h"
#include "base/result.h"
#include "transport/host_config.h"

namespace baton::transport {

// The hosts file baton looks for when none is named.
inline constexpr const char* kDefaultHostsFileName = "baton.hosts.yaml";

// Parses hosts-file text. `file` names it in errors, as given; relative
// identity_file and known_hosts_file paths are taken relative to its
// directory ("~/" is kept for the SSH layer to expand).
Result<HostsFile> ParseHostsFile(const std::filesystem::path& file, std::string_view text);

// Reads `file` through `fs` and parses it. kNotFound when it does not exist.
Result<HostsFile> LoadHostsFile(const std::filesystem::path& file, FileSystem& fs);

// True for names a host may have: letters, digits, '.', '_' and '-',
// starting with a letter or digit (names end up in container names).
bool IsValidHostLabel(std::string_view name);

}  // namespace baton::transport
