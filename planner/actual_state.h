#pragma once
// Actual state: what runs on the hosts, as read from the engines' labels
// (see labels.h) by runtime::ObserveProject. Plain data; the planner only
// reads it.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace baton::planner {

// One container of the project on one host.
struct ActualContainer {
  std::string id;
  std::string name;
  std::string service;
  int slot = 0;
  std::string spec_hash;
  std::map<std::string, std::string> part_hashes;  // decoded from baton.spec-parts
  std::string state;   // the engine's: "created", "running", "exited", ...
  std::string health;  // "" without a healthcheck, "starting", "healthy", "unhealthy"
  int64_t exit_code = 0;
  std::string created;     // RFC 3339
  std::string started_at;  // RFC 3339
  // For the watcher's restart supervision (issue 6), from inspect.
  std::string finished_at;          // RFC 3339 of the last exit; "" when none
  int64_t restart_count = 0;        // the engine's RestartCount
  std::string restart_policy;       // the engine's HostConfig.RestartPolicy.Name now
  std::string intended_restart;     // label baton.restart: the compose policy as written
  std::string image;
  std::vector<std::string> ports;  // as shown: "0.0.0.0:8080->80/tcp"
  std::vector<std::string> file_copies;  // digests of the copies it mounts (baton.files)
  bool running() const { return state == "running" || state == "restarting"; }
};

// A copy of project files on a host (runtime/file_copy.h).
struct FileCopyState {
  bool complete = false;  // its marker volume exists: the upload finished
  bool helper = false;    // an upload helper container was left behind
};

struct HostState {
  std::string name;  // the hosts-file name
  bool reachable = false;
  std::string error;  // why it is unreachable, for `ps` and `plan`
  // Facts for placement (from the hosts file and the engine's /info).
  std::map<std::string, std::string> labels;
  std::string hostname;  // the engine host's own hostname
  std::string os;        // "linux"
  std::string arch;      // "x86_64" as the engine says; constraints also accept "amd64"
  double cpus = 0;
  int64_t memory = 0;  // bytes
  // Reserved by containers of other projects (their baton.reserved-* labels).
  double reserved_cpus_elsewhere = 0;
  int64_t reserved_memory_elsewhere = 0;
  // Host ports published by running containers of other projects.
  std::set<std::pair<std::string, uint32_t>> ports_used_elsewhere;  // (protocol, port)

  std::vector<ActualContainer> containers;  // of this project, sorted by name
  std::set<std::string> networks;  // engine names of the project's networks present
  std::set<std::string> volumes;   // engine names of the project's volumes present
  std::set<std::string> images;    // the desired images present on this host
  std::map<std::string, FileCopyState> file_copies;  // this project's copies, by full digest
  // `baton hosts drain` marked it (a baton-drain container): placement puts
  // nothing new here and moves what runs here away.
  bool drained = false;

  // Cluster networking (issue 5).
  // This project's spanned networks present here: engine name -> subnet (baton.subnet).
  std::map<std::string, std::string> network_subnets;
  // Subnets of every other project's spanned networks on this host: taken.
  std::set<std::string> subnets_elsewhere;
  struct Netd {
    bool present = false;
    bool running = false;
    std::string id;
    std::string spec_hash;  // its baton.spec-hash label
  } netd;
};

struct ActualState {
  std::string project;
  std::vector<HostState> hosts;  // in hosts-file order
  // Built images (BuildUse::tag) present on the local engine, for --build-local.
  std::set<std::string> local_images;
  const HostState* FindHost(const std::string& name) const;
};

}  // namespace baton::planner
