#pragma once
// How one replica, network or volume of the desired state is asked of the
// Docker engine: compose's meaning of each service key translated to the
// Engine API's container create body, with compose's and baton's labels
// (planner/labels.h). Pure.

#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "planner/desired_state.h"
#include "runtime/docker_containers.h"
#include "runtime/docker_networks.h"
#include "runtime/docker_volumes.h"

namespace baton::runtime {

// The slices of the spanned networks on one host (Plan::subnets[host]):
// engine network name -> subnet ("shop_back" -> "10.210.3.0/24"). A network
// with a slice here spans hosts; one without stays host-local, as before.
using NetworkSlices = std::map<std::string, std::string>;

// Where this host keeps the copies a replica mounts: digest -> the copy's
// path on the host (FileCopyPath with an empty subpath).
using FileCopyPaths = std::map<std::string, std::string>;

// The container for replica `slot` of `service` on host `host`. kInvalid for
// a key baton cannot express on a remote host, naming the service and key.
// The service's FileCopyUse mounts bind `copies[digest]/subpath` (as
// HostConfig.Mounts, so a vanished copy fails the create rather than becoming
// an empty folder); the container's baton.files label lists those digests.
// kInternal when `copies` lacks one of them. Secrets are not in the spec:
// DeliverSecrets copies them in after the create (secret_delivery.h).
//
// On a network with a slice in `slices` the container gets no Docker aliases
// (not even the service name: Docker's own DNS would answer it with this
// host's replicas only); netd answers the service name, and the compose
// aliases, which go into label baton.aliases ({"shop_back":["cache"]}, only
// when there are any). Its `dns` is then the gateway of its primary
// network's slice (else of its first spanned network's), where netd
// listens, ahead of any compose `dns:` servers.
Result<ContainerSpec> MakeContainerSpec(const planner::DesiredState& desired,
                                        const planner::ServiceSpec& service, int slot,
                                        const std::string& host, const NetworkSlices& slices = {},
                                        const FileCopyPaths& copies = {});

// The secrets DeliverSecrets copies into each created replica of `service`:
// its content's secrets but those whose target a `volumes:` entry takes
// (the volume wins, as in compose). MakeContainerSpec refuses the service
// when one of them cannot be delivered (read_only, a tmpfs target).
std::vector<planner::SecretUse> SecretsToDeliver(const planner::ServiceSpec& service);

// With a `subnet` (the network spans hosts: Action::subnet), the network is
// made on that slice, gateway its first address, and carries label
// baton.subnet; without one, as compose asks.
runtime::NetworkSpec MakeNetworkSpec(const planner::DesiredState& desired,
                                     const planner::NetworkSpec& network,
                                     const std::string& subnet = "");
runtime::VolumeSpec MakeVolumeSpec(const planner::DesiredState& desired,
                                   const planner::VolumeSpec& volume);

}  // namespace baton::runtime
