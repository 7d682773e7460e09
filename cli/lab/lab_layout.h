#pragma once
// Where everything of the lab lives: names, addresses and paths, computed from
// the lab directory and a host's index. Pure; the single source for every name
// that `lab down` later searches for, so up and down cannot disagree.

#include <filesystem>
#include <string>
#include <vector>

namespace baton::cli::lab {

inline constexpr int kMaxHosts = 20;
inline constexpr const char* kDefaultLabDir = "/var/lib/baton-lab";
inline constexpr const char* kBridge = "batonlab0";
inline constexpr const char* kBridgeAddress = "10.209.0.1";
inline constexpr const char* kSubnet = "10.209.0.0/24";
// Tags every iptables rule the lab adds, so down can find them all.
inline constexpr const char* kRuleComment = "baton-lab";
// Network namespaces and host-side veths are "batonlab-<host>" (at most 15
// characters for an interface name; "batonlab-lab20" is 14).
inline constexpr const char* kLinkPrefix = "batonlab-";
// dockerd puts each host's containers under the cgroup "baton-lab-<host>".
inline constexpr const char* kCgroupPrefix = "baton-lab-";
// Every lab process gets this variable (value: host name); down finds
// leftovers by it even after the namespaces are gone.
inline constexpr const char* kMarkerVariable = "BATON_LAB_HOST";
// Lines the lab adds to a user's known_hosts end with this comment.
inline constexpr const char* kKnownHostsComment = "baton-lab";

struct LabHost {
  int index = 0;             // 1-based
  std::string name;          // "lab1"
  std::string address;       // "10.209.0.11"
  std::string zone;          // "a" for odd indexes, "b" for even ones
  std::string net_ns;        // "batonlab-lab1"
  std::string veth;          // host side of the veth pair, "batonlab-lab1"
  std::string docker_bip;    // docker0 inside the host, "10.209.101.1/24"
  std::string docker_pool;   // "10.211.0.0/16", cut into /24s for user networks
  std::string cgroup_parent; // "baton-lab-lab1"

  std::filesystem::path root;  // DIR/hosts/lab1: everything removed by down
  std::filesystem::path run_dir() const { return root / "run"; }          // the host's /run
  std::filesystem::path etc_ssh_dir() const { return root / "etc-ssh"; }  // the host's /etc/ssh
  // The host's own /root: an ssh login must not run the machine's root startup files
  // (a lock one of them holds, killed with a lab host, would hang every later login).
  std::filesystem::path root_home_dir() const { return root / "root-home"; }
  std::filesystem::path data_root() const { return root / "docker"; }     // dockerd --data-root
  std::filesystem::path log_dir() const { return root / "log"; }
  std::filesystem::path daemon_json() const { return root / "daemon.json"; }
  std::filesystem::path pin_pid_file() const { return root / "pin.pid"; }
  // The host's docker socket as seen from outside the host.
  std::filesystem::path docker_socket() const { return run_dir() / "docker.sock"; }
  std::string net_ns_path() const { return "/run/netns/" + net_ns; }
};

class LabLayout {
 public:
  explicit LabLayout(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }
  // Kept by down: the key root logs in with, and each host's host key.
  std::filesystem::path identity_file() const { return dir_ / "id_ed25519"; }
  std::filesystem::path host_key(const std::string& host) const {
    return dir_ / "host-keys" / (host + "_ed25519_key");
  }
  // Removed by down.
  std::filesystem::path known_hosts_file() const { return dir_ / "known_hosts"; }
  std::filesystem::path hosts_file() const { return dir_ / "baton.hosts.yaml"; }
  std::filesystem::path hosts_dir() const { return dir_ / "hosts"; }

  // index in 1..kMaxHosts.
  LabHost Host(int index) const;
  std::vector<LabHost> Hosts(int count) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace baton::cli::lab
