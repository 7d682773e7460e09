#include "cli/lab/lab_processes.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>

#include "cli/lab/lab_layout.h"
#include "cli/lab/process.h"

namespace baton::cli::lab {
namespace {

namespace fs = std::filesystem;
using Inode = std::pair<dev_t, ino_t>;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

pid_t ParentOf(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream rest(stat.substr(paren + 2));
  char state;
  pid_t parent = 0;
  rest >> state >> parent;
  return parent;
}

// Baton and the processes that started it: never ours to kill.
std::set<pid_t> SelfAndAncestors() {
  std::set<pid_t> pids;
  for (pid_t p = getpid(); p > 1 && pids.insert(p).second;) p = ParentOf(p);
  pids.insert(1);
  return pids;
}

std::set<Inode> LabNetworkNamespaces() {
  std::set<Inode> inodes;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator("/run/netns", ec)) {
    struct stat st;
    if (e.path().filename().string().rfind(kLinkPrefix, 0) == 0 &&
        stat(e.path().c_str(), &st) == 0)
      inodes.insert({st.st_dev, st.st_ino});
  }
  return inodes;
}

bool HasMarker(const fs::path& proc) {
  std::string environ = ReadFile(proc / "environ");
  std::string marker = std::string(kMarkerVariable) + "=";
  for (size_t at = 0; at < environ.size();) {
    size_t end = environ.find('\0', at);
    if (end == std::string::npos) end = environ.size();
    if (environ.compare(at, marker.size(), marker) == 0) return true;
    at = end + 1;
  }
  return false;
}

bool InLabCgroup(const fs::path& proc) {
  return ReadFile(proc / "cgroup").find(std::string(":/") + kCgroupPrefix) != std::string::npos;
}

bool InNamespace(const fs::path& proc, const std::set<Inode>& namespaces) {
  struct stat st;
  return stat((proc / "ns" / "net").c_str(), &st) == 0 &&
         namespaces.count({st.st_dev, st.st_ino}) > 0;
}

// Removes `dir` and the cgroups below it, deepest first; returns 0 or the
// errno of the failed rmdir. cgroupfs allows rmdir on a cgroup whose control
// files remain, but not while tasks remain.
int RemoveCgroupTree(const fs::path& dir) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
    if (e.is_directory(ec) && !e.is_symlink(ec)) RemoveCgroupTree(e.path());
  return rmdir(dir.c_str()) == 0 || errno == ENOENT ? 0 : errno;
}

std::vector<fs::path> LabCgroups() {
  std::vector<fs::path> found;
  std::vector<fs::path> roots = {"/sys/fs/cgroup"};
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator("/sys/fs/cgroup", ec))
    if (e.is_directory(ec)) roots.push_back(e.path());
  for (const fs::path& root : roots)
    for (const fs::directory_entry& e : fs::directory_iterator(root, ec))
      if (e.path().filename().string().rfind(kCgroupPrefix, 0) == 0 && e.is_directory(ec))
        found.push_back(e.path());
  return found;
}

}  // namespace

std::vector<pid_t> FindLabProcesses() {
  std::set<pid_t> spared = SelfAndAncestors();
  std::set<Inode> namespaces = LabNetworkNamespaces();
  std::vector<pid_t> pids;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator("/proc", ec)) {
    std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::stol(name));
    if (spared.count(pid) || !IsRunning(pid)) continue;
    if (HasMarker(e.path()) || InLabCgroup(e.path()) || InNamespace(e.path(), namespaces))
      pids.push_back(pid);
  }
  return pids;
}

Status KillLabProcesses() {
  for (int round = 0; round < 100; ++round) {
    std::vector<pid_t> pids = FindLabProcesses();
    if (pids.empty()) return Status::Ok();
    for (pid_t pid : pids) kill(pid, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(round == 0 ? 20 : 100));
  }
  std::string left;
  for (pid_t pid : FindLabProcesses()) left += " " + std::to_string(pid);
  if (left.empty()) return Status::Ok();
  return Error::Internal("", "lab processes survive SIGKILL:" + left);
}

Status RemoveLabCgroups() {
  // A cgroup stays busy for a moment after its last task was killed.
  for (int round = 0;; ++round) {
    fs::path failed;
    int error = 0;
    for (const fs::path& cgroup : LabCgroups())
      if (int e = RemoveCgroupTree(cgroup); e != 0) std::tie(failed, error) = std::pair(cgroup, e);
    if (failed.empty()) return Status::Ok();
    if (round == 20)
      return Error::Internal("", "cannot remove cgroup " + failed.string() + ": " +
                                     std::strerror(error));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace baton::cli::lab
