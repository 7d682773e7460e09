#include "cli/lab/lab_host.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/lab/lab_files.h"
#include "cli/lab/lab_fs.h"
#include "cli/lab/process.h"

namespace baton::cli::lab {
namespace {

namespace fs = std::filesystem;

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// dockerd reads this instead of the machine's /etc/docker/daemon.json, whose
// settings could clash with the lab's.
std::string DaemonJson(const LabHost& h, const std::string& storage_driver) {
  return "{\n"
         "  \"data-root\": " + JsonString(h.data_root().string()) + ",\n"
         "  \"exec-root\": \"/run/docker\",\n"
         "  \"pidfile\": \"/run/docker.pid\",\n"
         "  \"hosts\": [\"unix:///run/docker.sock\"],\n"
         "  \"bip\": \"" + h.docker_bip + "\",\n"
         "  \"default-address-pools\": [{\"base\": \"" + h.docker_pool + "\", \"size\": 24}],\n"
         "  \"exec-opts\": [\"native.cgroupdriver=cgroupfs\"],\n"
         "  \"cgroup-parent\": \"" + h.cgroup_parent + "\",\n"
         "  \"storage-driver\": " + JsonString(storage_driver) + "\n"
         "}\n";
}

Status CopyFile(const fs::path& from, const fs::path& to, int mode) {
  auto text = ReadWholeFile(from);
  if (!text.ok()) return text.error();
  return WriteFileAtomically(to, *text, mode);
}

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string Marker(const LabHost& h) { return std::string(kMarkerVariable) + "=" + h.name; }

}  // namespace

Status PrepareHostFiles(const LabLayout& layout, const LabHost& h,
                        const std::string& storage_driver) {
  for (const auto& [dir, mode] : {std::pair{h.root, 0755}, {h.run_dir(), 0755},
                                  {h.run_dir() / "sshd", 0755}, {h.etc_ssh_dir(), 0755},
                                  {h.root_home_dir(), 0700},
                                  {h.data_root(), 0710}, {h.log_dir(), 0755}})
    if (auto s = MakeDirectory(dir, mode); !s.ok()) return s;
  fs::path key = layout.host_key(h.name);
  for (Status s : {
           CopyFile(key, h.etc_ssh_dir() / "ssh_host_ed25519_key", 0600),
           CopyFile(key.string() + ".pub", h.etc_ssh_dir() / "ssh_host_ed25519_key.pub", 0644),
           CopyFile(layout.identity_file().string() + ".pub",
                    h.etc_ssh_dir() / "authorized_keys", 0600),
           WriteFileAtomically(h.etc_ssh_dir() / "sshd_config", RenderSshdConfig(h), 0644),
           WriteFileAtomically(h.daemon_json(), DaemonJson(h, storage_driver), 0644),
       })
    if (!s.ok()) return s;
  return Status::Ok();
}

Result<pid_t> StartPin(const LabHost& h) {
  // Computed before fork: the child only makes system calls.
  std::string run = h.run_dir().string(), etc_ssh = h.etc_ssh_dir().string(), name = h.name;
  std::string root_home = h.root_home_dir().string();
  // A lab kept below /root itself would vanish under that mount; it keeps the machine's /root.
  const bool own_root_home = root_home.rfind("/root/", 0) != 0;
  ProcessOptions options;
  options.net_ns = h.net_ns_path();
  options.env = {Marker(h)};
  options.in_child = [&]() -> std::string {
    if (unshare(CLONE_NEWNS | CLONE_NEWUTS) != 0) return Errno("unshare");
    // Private: nothing mounted inside a host (dockerd's overlays) reaches the machine.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      return Errno("make mounts private");
    if (mount(run.c_str(), "/run", nullptr, MS_BIND, nullptr) != 0) return Errno("bind " + run);
    if (mount(etc_ssh.c_str(), "/etc/ssh", nullptr, MS_BIND, nullptr) != 0)
      return Errno("bind " + etc_ssh);
    if (own_root_home && mount(root_home.c_str(), "/root", nullptr, MS_BIND, nullptr) != 0)
      return Errno("bind " + root_home);
    if (sethostname(name.data(), name.size()) != 0) return Errno("sethostname");
    return "";
  };
  auto pin = StartDaemon({"sleep", "infinity"}, options);
  if (!pin.ok()) return pin.error().Within("start " + h.name);
  if (auto s = WriteFileAtomically(h.pin_pid_file(), std::to_string(*pin) + "\n", 0644); !s.ok())
    return s.error();
  return pin;
}

pid_t RunningPin(const LabHost& h) {
  auto text = ReadWholeFile(h.pin_pid_file());
  if (!text.ok()) return 0;
  pid_t pid = static_cast<pid_t>(std::atol(text->c_str()));
  return IsRunning(pid) ? pid : 0;
}

Status StartHostDaemons(const LabHost& h, pid_t pin) {
  ProcessOptions options;
  options.net_ns = h.net_ns_path();
  options.join_mount_uts_of = pin;
  options.env = {Marker(h)};
  options.output = h.log_dir() / "sshd.log";
  // sshd re-executes itself per connection, so it needs its absolute path.
  if (auto r = StartDaemon({"/usr/sbin/sshd", "-D", "-e"}, options); !r.ok())
    return r.error().Within("start sshd on " + h.name);
  options.output = h.log_dir() / "dockerd.log";
  if (auto r = StartDaemon({"dockerd", "--config-file", h.daemon_json().string()}, options);
      !r.ok())
    return r.error().Within("start dockerd on " + h.name);
  return Status::Ok();
}

std::string DockerSocketPath(const LabHost& h, pid_t pin) {
  std::string direct = h.docker_socket().string();
  if (direct.size() < sizeof(sockaddr_un{}.sun_path)) return direct;
  return "/proc/" + std::to_string(pin) + "/root/run/docker.sock";
}

}  // namespace baton::cli::lab
