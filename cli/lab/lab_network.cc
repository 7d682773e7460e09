#include "cli/lab/lab_network.h"

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli/lab/process.h"

namespace baton::cli::lab {
namespace {

namespace fs = std::filesystem;
using Argv = std::vector<std::string>;

Status RunAll(const std::vector<Argv>& commands) {
  for (const Argv& argv : commands)
    if (auto r = RunChecked(argv); !r.ok()) return r.error();
  return Status::Ok();
}

// Names of entries in `dir` that start with `prefix`; none if `dir` is absent.
std::vector<std::string> EntriesWithPrefix(const fs::path& dir, const std::string& prefix) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0) names.push_back(name);
  }
  return names;
}

Status RemoveTaggedRules() {
  for (const std::string table : {"filter", "nat"}) {
    auto listing = RunChecked({"iptables", "-w", "-t", table, "-S"});
    if (!listing.ok()) return listing.error();
    if (auto s = RunAll(TaggedRuleDeletions(table, listing->out)); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

// The words come from iptables itself and our comment has no spaces, so
// splitting on spaces is exact.
std::vector<std::vector<std::string>> TaggedRuleDeletions(const std::string& table,
                                                          const std::string& listing) {
  std::vector<Argv> deletions;
  std::istringstream lines(listing);
  for (std::string line; std::getline(lines, line);) {
    Argv words;
    std::istringstream in(line);
    for (std::string w; in >> w;) words.push_back(w);
    bool tagged = false;
    for (size_t i = 0; i + 1 < words.size(); ++i)
      if (words[i] == "--comment" &&
          (words[i + 1] == kRuleComment || words[i + 1] == std::string("\"") + kRuleComment + "\""))
        tagged = true;
    if (!tagged || words.empty() || words[0] != "-A") continue;
    for (std::string& w : words)
      if (w == std::string("\"") + kRuleComment + "\"") w = kRuleComment;
    words[0] = "-D";
    Argv argv = {"iptables", "-w", "-t", table};
    argv.insert(argv.end(), words.begin(), words.end());
    deletions.push_back(argv);
  }
  return deletions;
}

Status CreateBridge() {
  const std::string bridge = kBridge;
  return RunAll({
      {"ip", "link", "add", bridge, "type", "bridge"},
      {"ip", "addr", "add", std::string(kBridgeAddress) + "/24", "dev", bridge},
      {"ip", "link", "set", bridge, "up"},
      {"iptables", "-w", "-I", "FORWARD", "1", "-i", bridge, "-o", bridge, "-m", "comment",
       "--comment", kRuleComment, "-j", "ACCEPT"},
  });
}

Status CreateHostNetwork(const LabHost& host) {
  return RunAll({
      {"ip", "netns", "add", host.net_ns},
      {"ip", "link", "add", host.veth, "type", "veth", "peer", "name", "eth0", "netns",
       host.net_ns},
      {"ip", "link", "set", host.veth, "master", kBridge, "up"},
      {"ip", "-n", host.net_ns, "addr", "add", host.address + "/24", "dev", "eth0"},
      {"ip", "-n", host.net_ns, "link", "set", "eth0", "up"},
      {"ip", "-n", host.net_ns, "link", "set", "lo", "up"},
  });
}

Status RemoveNetwork() {
  for (const std::string& ns : EntriesWithPrefix("/run/netns", kLinkPrefix))
    if (auto r = RunChecked({"ip", "netns", "delete", ns}); !r.ok()) return r.error();
  // A veth usually disappears with its namespace; delete any that linger, and
  // accept that one may vanish between listing and deleting.
  for (const std::string& veth : EntriesWithPrefix("/sys/class/net", kLinkPrefix)) {
    auto r = Run({"ip", "link", "delete", veth});
    if (!r.ok()) return r.error();
  }
  if (fs::exists(fs::path("/sys/class/net") / kBridge))
    if (auto r = RunChecked({"ip", "link", "delete", kBridge}); !r.ok()) return r.error();
  return RemoveTaggedRules();
}

}  // namespace baton::cli::lab
