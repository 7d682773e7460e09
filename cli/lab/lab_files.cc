#include "cli/lab/lab_files.h"

#include <cctype>
#include <sstream>

namespace baton::cli::lab {
namespace {

std::string YamlPath(const std::string& path) {
  bool plain = !path.empty();
  for (char c : path)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("/._+-").find(c) ==
                                                            std::string_view::npos)
      plain = false;
  if (plain) return path;
  std::string quoted = "\"";
  for (char c : path) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::vector<std::string> Words(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

}  // namespace

std::string RenderHostsFile(const LabLayout& layout, const std::vector<LabHost>& hosts) {
  std::string out = "# Written by `baton lab up`; removed by `baton lab down`.\nhosts:\n";
  for (const LabHost& h : hosts) {
    out += "  - name: " + h.name + "\n";
    out += "    address: ssh://root@" + h.address + ":22\n";
    out += "    identity_file: " + YamlPath(layout.identity_file().string()) + "\n";
    out += "    known_hosts_file: " + YamlPath(layout.known_hosts_file().string()) + "\n";
    out += "    labels: {zone: " + h.zone + ", lab: \"true\"}\n";
  }
  // Names that are not the cluster's go to the machine's side of the lab
  // bridge, so no test traffic leaves the lab.
  out += "cluster:\n  dns_upstream: [" + std::string(kBridgeAddress) + "]\n";
  return out;
}

std::string KnownHostsLine(const LabHost& host, std::string_view public_key_file) {
  std::vector<std::string> words = Words(public_key_file);
  if (words.size() < 2) return "";
  return host.address + " " + words[0] + " " + words[1] + " " + kKnownHostsComment + "\n";
}

std::string WithoutLabEntries(std::string_view known_hosts, const std::vector<LabHost>& hosts) {
  std::string out;
  std::istringstream in{std::string(known_hosts)};
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> words = Words(line);
    bool lab = words.size() >= 4 && words.back() == kKnownHostsComment;
    for (const LabHost& h : hosts)
      if (!words.empty() && words[0] == h.address) lab = true;
    if (!lab) out += line + "\n";
  }
  return out;
}

std::string RenderSshdConfig(const LabHost& host) {
  return "# Written by `baton lab up` for " + host.name +
         ".\n"
         "Port 22\n"
         "ListenAddress 0.0.0.0\n"
         "HostKey /etc/ssh/ssh_host_ed25519_key\n"
         "PidFile /run/sshd.pid\n"
         "PermitRootLogin prohibit-password\n"
         "PubkeyAuthentication yes\n"
         "AuthorizedKeysFile /etc/ssh/authorized_keys\n"
         "PasswordAuthentication no\n"
         "KbdInteractiveAuthentication no\n"
         "UsePAM no\n"
         "AllowTcpForwarding yes\n"
         "AllowStreamLocalForwarding yes\n"
         "X11Forwarding no\n"
         "PrintMotd no\n"
         "MaxSessions 64\n"
         "MaxStartups 64:30:128\n"
         "Subsystem sftp internal-sftp\n";
}

}  // namespace baton::cli::lab
