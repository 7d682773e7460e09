#pragma once
// The image of deploy-lock containers: nothing but a config, since a lock
// container is created and never started. baton builds it in memory as a
// `docker save` tarball and loads it into an engine that lacks it, so the
// lock needs no registry.

#include <string>

#include "base/result.h"
#include "runtime/docker_client.h"

namespace baton::runtime {

inline constexpr char kLockImage[] = "baton/lock:1";

// A docker-save archive of kLockImage for `architecture` (the engine's,
// "amd64"): manifest.json, the config (Cmd ["baton-lock"]) and one empty
// layer. The same input always gives the same bytes, so the same image id.
std::string MakeLockImageArchive(const std::string& architecture);

// Loads kLockImage into `docker` unless the engine already has it.
Status EnsureLockImage(DockerClient& docker);

}  // namespace baton::runtime
