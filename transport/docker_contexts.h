#pragma once
// The docker CLI's context store (~/.docker/contexts/meta/*/meta.json), read
// so that `baton hosts import-contexts` can offer its ssh:// endpoints as hosts.

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"

namespace baton::transport {

struct DockerContext {
  std::string name;         // "Name"
  std::string docker_host;  // "Endpoints.docker.Host": "ssh://root@h", "unix:///..."
  std::filesystem::path meta_file;
  std::string problem;  // "cannot be read", ...; "" when it was read
};

// The docker CLI's configuration directory: $DOCKER_CONFIG when set, else
// $HOME/.docker. Empty when neither is set.
std::filesystem::path DockerConfigDir(const char* docker_config_env, const char* home_env);

// Every context under `config_dir`/contexts/meta, sorted by name. A missing
// store is an empty list, not an error; a meta.json that cannot be read or
// parsed comes back with `problem` set so the caller can say which and why.
std::vector<DockerContext> ReadDockerContexts(const std::filesystem::path& config_dir);

}  // namespace baton::transport
