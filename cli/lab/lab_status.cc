// `baton lab status`: what of the lab exists and whether each host answers.

#include <cstdio>
#include <set>

#include "cli/lab/lab.h"
#include "cli/lab/lab_host.h"
#include "cli/lab/lab_probe.h"
#include "cli/lab/process.h"

namespace baton::cli::lab {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// Index N of every "labN" among the entries of `dir` that start with `prefix`.
void CollectHostIndexes(const fs::path& dir, const std::string& prefix, std::set<int>& indexes) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(prefix + "lab", 0) != 0) continue;
    std::string digits = name.substr(prefix.size() + 3);
    if (digits.empty() || digits.size() > 2 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      continue;
    int index = std::stoi(digits);
    if (index >= 1 && index <= kMaxHosts) indexes.insert(index);
  }
}

bool ForwardRuleExists() {
  auto r = Run({"iptables", "-w", "-C", "FORWARD", "-i", kBridge, "-o", kBridge, "-m", "comment",
                "--comment", kRuleComment, "-j", "ACCEPT"});
  return r.ok() && r->exit_code == 0;
}

HostHealth ObserveHost(const LabLayout& layout, const LabHost& host) {
  HostHealth health{host, RunningPin(host), fs::exists(host.net_ns_path()), {}, {}, {}};
  health.dockerd = health.pin ? ProbeDockerd(host, health.pin, seconds(2))
                              : Error::Unreachable("", "host is not running");
  health.sshd = health.network ? ProbeSshd(host, seconds(2))
                               : Error::Unreachable("", "no network namespace");
  health.login = health.sshd.ok() ? ProbeSshLogin(layout, host)
                                  : Error::Unreachable("", "sshd does not answer");
  return health;
}

const char* Word(const Status& s) { return s.ok() ? "ok" : "FAIL"; }

}  // namespace

bool LabHealth::ok() const {
  if (!bridge || !forward_rule || hosts.empty()) return false;
  for (const HostHealth& h : hosts)
    if (!h.ok()) return false;
  return true;
}

LabHealth Observe(const LabLayout& layout) {
  LabHealth health;
  health.bridge = fs::exists(fs::path("/sys/class/net") / kBridge);
  health.forward_rule = ForwardRuleExists();
  std::set<int> indexes;
  CollectHostIndexes(layout.hosts_dir(), "", indexes);
  CollectHostIndexes("/run/netns", kLinkPrefix, indexes);
  for (int index : indexes) health.hosts.push_back(ObserveHost(layout, layout.Host(index)));
  return health;
}

std::string RenderHealth(const LabHealth& health) {
  std::string out = std::string("bridge ") + kBridge + " (" + kBridgeAddress + "/24): " +
                    (health.bridge ? "up" : "MISSING") + ", forward rule: " +
                    (health.forward_rule ? "present" : "MISSING") + "\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-6s %-8s %-12s %-8s %-7s %-5s %s\n", "HOST", "STATE",
                "ADDRESS", "PIN", "DOCKERD", "SSHD", "SSH-LOGIN");
  out += line;
  std::string problems;
  for (const HostHealth& h : health.hosts) {
    std::snprintf(line, sizeof line, "%-6s %-8s %-12s %-8d %-7s %-5s %s\n", h.host.name.c_str(),
                  h.pin && h.network ? "running" : "stopped", h.host.address.c_str(), h.pin,
                  Word(h.dockerd), Word(h.sshd), Word(h.login));
    out += line;
    for (const auto& [what, s] : {std::pair{"dockerd", &h.dockerd}, {"sshd", &h.sshd},
                                  {"ssh login", &h.login}})
      if (!s->ok()) problems += h.host.name + ": " + what + ": " + s->error().ToString() + "\n";
  }
  return out + problems;
}

}  // namespace baton::cli::lab
