#pragma once
// How one replica, network or volume of the desired state is asked of the
// Docker engine: compose's meaning of each service key translated to the
// Engine API's container create body, with compose's and baton's labels
// (planner/labels.h). Pure.

#include <string>

#include "base/result.h"
#include "planner/desired_state.h"
#include "runtime/docker_containers.h"
#include "runtime/docker_networks.h"
#include "runtime/docker_volumes.h"

namespace baton::runtime {

// The container for replica `slot` of `service` on host `host`. kInvalid for
// a key baton cannot express on a remote host yet (build without image,
// bind mounts of project files: see issue 8), naming the service and key.
Result<ContainerSpec> MakeContainerSpec(const planner::DesiredState& desired,
                                        const planner::ServiceSpec& service, int slot,
                                        const std::string& host);

runtime::NetworkSpec MakeNetworkSpec(const planner::DesiredState& desired,
                                     const planner::NetworkSpec& network);
runtime::VolumeSpec MakeVolumeSpec(const planner::DesiredState& desired,
                                   const planner::VolumeSpec& volume);

}  // namespace baton::runtime
