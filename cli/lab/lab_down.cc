// `baton lab down`: removes a lab, whole or half-built or left by a killed run.

#include <sys/mount.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli/lab/lab.h"
#include "cli/lab/lab_keys.h"
#include "cli/lab/lab_network.h"
#include "cli/lab/lab_processes.h"

namespace baton::cli::lab {
namespace {

namespace fs = std::filesystem;

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string UnescapeMountPath(const std::string& text) {
  auto octal = [&](size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '7'; };
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      int code = (text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0');
      out += static_cast<char>(code);
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Mount points at or below `dir` in baton's own mount namespace, deepest first.
std::vector<std::string> MountsUnder(const fs::path& dir) {
  std::vector<std::string> found;
  std::ifstream info("/proc/self/mountinfo");
  std::string prefix = dir.string() + "/";
  for (std::string line; std::getline(info, line);) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, mount_point;
    fields >> id >> parent >> devno >> root >> mount_point;
    std::string path = UnescapeMountPath(mount_point);
    if (path == dir.string() || path.rfind(prefix, 0) == 0) found.push_back(path);
  }
  std::sort(found.begin(), found.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return found;
}

// Hosts' mounts live in their private namespaces and vanish with them; this
// only matters if something mounted below DIR/hosts in the machine's
// namespace. Removing files through a live mount would delete its content,
// so refuse rather than guess.
Status RemoveHostsDirectory(const fs::path& hosts_dir) {
  for (const std::string& mount_point : MountsUnder(hosts_dir))
    umount2(mount_point.c_str(), MNT_DETACH);
  if (std::vector<std::string> left = MountsUnder(hosts_dir); !left.empty())
    return Error::Internal("", "cannot unmount " + left.front());
  std::error_code ec;
  fs::remove_all(hosts_dir, ec);
  if (ec) return Error::Internal("", "remove " + hosts_dir.string() + ": " + ec.message());
  return Status::Ok();
}

Status RemoveFile(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) return Error::Internal("", "remove " + path.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Status Down(const LabLayout& layout) {
  // Processes first: they hold the namespaces, cgroups and files below.
  if (Status s = KillLabProcesses(); !s.ok()) return s;
  if (Status s = RemoveLabCgroups(); !s.ok()) return s;
  if (Status s = RemoveNetwork(); !s.ok()) return s;
  if (Status s = RemoveHostsDirectory(layout.hosts_dir()); !s.ok()) return s;
  if (Status s = RemoveFile(layout.hosts_file()); !s.ok()) return s;
  if (Status s = RemoveFile(layout.known_hosts_file()); !s.ok()) return s;
  return RemoveFromKnownHosts(UserKnownHostsFile());
}

}  // namespace baton::cli::lab
