#pragma once
// Finding and stopping every process of a lab, including those of a run that
// was killed half-way, and removing the cgroups its containers used.

#include <sys/types.h>

#include <vector>

#include "base/result.h"

namespace baton::cli::lab {

// Pids of the processes that belong to a lab: those carrying kMarkerVariable
// in their environment (pins, dockerd, containerd, shims, sshd), those in a
// cgroup named kCgroupPrefix* (containers), and those in a network namespace
// /run/netns/batonlab-* (anything else started inside a host, such as ssh
// sessions). Never includes baton itself, its ancestors, or zombies.
std::vector<pid_t> FindLabProcesses();

// SIGKILLs lab processes until none is left. kInternal if some survive ~10 s.
Status KillLabProcesses();

// Removes the cgroups named kCgroupPrefix* (and their children) in every
// hierarchy under /sys/fs/cgroup, v1 or v2. Call after KillLabProcesses.
Status RemoveLabCgroups();

}  // namespace baton::cli::lab
