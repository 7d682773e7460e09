// Phase 0 stubs of the issue 6 engine calls; H1 replaces them.
#include "runtime/docker_client.h"

namespace baton::runtime {

Result<std::string> DockerClient::GetArchive(std::string_view, const std::string&, size_t) {
  return Error::Internal("host " + host(), "GET archive is not implemented yet");
}

Status DockerClient::UpdateRestartPolicy(std::string_view, const std::string&, int) {
  return Error::Internal("host " + host(), "container update is not implemented yet");
}

}  // namespace baton::runtime
