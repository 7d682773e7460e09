#pragma once
// The text of the files the lab writes: the hosts file baton reads, the
// known_hosts entries, and each host's sshd_config. Pure.

#include <string>
#include <string_view>
#include <vector>

#include "cli/lab/lab_layout.h"

namespace baton::cli::lab {

// The hosts file for `hosts`, exactly in this shape (paths are quoted only
// when they hold characters outside [A-Za-z0-9/._+-]):
//   hosts:
//     - name: lab1
//       address: ssh://root@10.209.0.11:22
//       identity_file: DIR/id_ed25519
//       known_hosts_file: DIR/known_hosts
//       labels: {zone: a, lab: "true"}
//   cluster:
//     dns_upstream: [10.209.0.1]
std::string RenderHostsFile(const LabLayout& layout, const std::vector<LabHost>& hosts);

// "10.209.0.11 ssh-ed25519 AAAA... baton-lab\n" from the host's public key
// file ("ssh-ed25519 AAAA... comment"); empty if the key text is malformed.
std::string KnownHostsLine(const LabHost& host, std::string_view public_key_file);

// `known_hosts` without the lines the lab added (those ending in the
// kKnownHostsComment), and without the lines for any of `hosts`' addresses.
std::string WithoutLabEntries(std::string_view known_hosts, const std::vector<LabHost>& hosts);

// sshd_config for one host: key-only root login, keys from /etc/ssh.
std::string RenderSshdConfig(const LabHost& host);

}  // namespace baton::cli::lab
