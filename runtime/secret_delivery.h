#pragma once
// Secrets go into each replica's own created container before it starts:
// one tar put at "/" holding every secret at its absolute target, with its
// uid, gid and mode in the headers, and no directory entries (the engine
// makes missing parents 0755 root and leaves existing ones alone). They live
// in the container's writable layer and go with the container; the Engine
// API cannot write into a tmpfs mount. Nothing here ever puts a value into
// an Error or a log line.

#include <string_view>
#include <vector>

#include "base/result.h"
#include "planner/desired_state.h"
#include "runtime/content_source.h"
#include "runtime/docker_client.h"

namespace baton::runtime {

// Errors name the secret's key and target, never its value: "secret
// db-password (/run/secrets/db-password): ...".
Status DeliverSecrets(DockerClient& docker, std::string_view container,
                      const std::vector<planner::SecretUse>& secrets,
                      const ContentSource& content);

}  // namespace baton::runtime
