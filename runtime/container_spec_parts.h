#pragma once
// The parts of MakeContainerSpec (container_spec.h), one group of service
// keys per file. Internal to the container_spec*.cc files.
//
// Each part adds what its keys ask for to `spec`: typed fields where
// ContainerSpec has them, otherwise the Engine API's own field names in
// spec.extra (merged over the create body last). A key the part cannot
// express is kInvalid at the key, "compose.yaml:7:5: services.web.secrets:
// ... is not supported yet".

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "compose/node.h"
#include "planner/desired_state.h"
#include "runtime/docker_containers.h"

namespace baton::runtime::container_spec {

// What one replica's container is made from.
struct SpecInput {
  const planner::DesiredState& desired;
  const planner::ServiceSpec& spec;
  const compose::Service& service;  // spec.service
  int slot = 0;
  const std::string& host;
  // The host's slices of the spanned networks, by engine network name.
  const std::map<std::string, std::string>& slices;
  // The host paths of the copies this replica mounts, by digest.
  const std::map<std::string, std::string>& copies;

  // "services.web", then ".KEY" when `key` is given.
  compose::ModelPath Path(std::string_view key = {}) const;
  // The error position of `key` (or of the service): "compose.yaml:7:5: services.web.KEY".
  std::string Where(std::string_view key = {}) const;
  std::string Where(const compose::ModelPath& path, std::string_view key) const;
};

// ports, expose.
Status AddPorts(const SpecInput& in, ContainerSpec& spec);
// volumes, tmpfs. A bind served from a copy (a FileCopyUse with its
// target) is left to AddFiles.
Status AddMounts(const SpecInput& in, ContainerSpec& spec);
// The copies (project binds and configs) as bind mounts of their host
// paths, label baton.files, and the checks on secrets and configs baton
// cannot deliver (container_spec_files.cc).
Status AddFiles(const SpecInput& in, ContainerSpec& spec);
// Whether a `volumes:` entry of the service mounts at `target`: such a
// target is the volume's, not a secret's or a config's (as in compose).
bool TakenByVolume(const compose::Service& service, const std::string& target);
// Whether `target` is a project bind of the service served from a copy.
bool ServedFromCopy(const planner::ServiceSpec& spec, const std::string& target);
// networks, network_mode.
Status AddNetworks(const SpecInput& in, ContainerSpec& spec);
// The DNS server a container on spanned networks asks first: the gateway
// of its primary network's slice (else of the first spanned network it
// joins, by engine name); nullopt when it joins no spanned network. Reads
// what AddNetworks put into `spec`.
std::optional<std::string> ClusterDnsServer(const SpecInput& in, const ContainerSpec& spec);
// restart, deploy.restart_policy, healthcheck, deploy.resources.
Status AddLifecycle(const SpecInput& in, ContainerSpec& spec);
// user, working_dir, hostname, capabilities, ulimits, sysctls, logging,
// extra_hosts, dns, stop_signal, stop_grace_period, ...
Status AddProcessOptions(const SpecInput& in, ContainerSpec& spec);
// The service keys kept untyped in Service::other (tty, mem_limit, ...);
// kInvalid for one baton does not pass on.
Status AddOtherKeys(const SpecInput& in, ContainerSpec& spec);

}  // namespace baton::runtime::container_spec
