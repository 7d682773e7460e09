// DockerClient::GetArchive and UpdateRestartPolicy: reading a file back out
// of a container (the desired-state record, the lease), and changing a
// container's restart policy in place (the watcher's crash-loop takeover).

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "runtime/docker_client.h"

namespace baton::runtime {

Result<std::string> DockerClient::GetArchive(std::string_view container, const std::string& path,
                                             size_t max_bytes) {
  QueryString query;
  query.Add("path", path);
  HttpRequest request =
      Request("GET", "/containers/" + UrlEscape(container) + "/archive" + query.str());
  // Collected here rather than in HttpResponse::body, so that an oversized
  // archive stops at `max_bytes` instead of at the transport's own limit.
  std::string tar;
  bool too_large = false;
  request.on_chunk = [&](std::string_view chunk) {
    if (chunk.size() > max_bytes - tar.size()) {
      too_large = true;
      return false;
    }
    tar.append(chunk);
    return true;
  };
  // ResponseError maps 404 (no container, or no such path in it) to kNotFound.
  Result<HttpResponse> response = Call(request);
  if (!response.ok()) return response.error();
  if (too_large)
    return AtCall(request, Error::Invalid("", "archive of " + path + " exceeds " +
                                                   std::to_string(max_bytes) + " bytes"));
  if (response->stopped) return AtCall(request, Error::Internal("", "interrupted"));
  return tar;
}

Status DockerClient::UpdateRestartPolicy(std::string_view container, const std::string& name,
                                         int maximum_retry_count) {
  HttpRequest request = Request("POST", "/containers/" + UrlEscape(container) + "/update");
  nlohmann::json body = {
      {"RestartPolicy", {{"Name", name}, {"MaximumRetryCount", maximum_retry_count}}}};
  if (Status s = SetJsonBody(request, body); !s.ok()) return s.error();
  Result<HttpResponse> response = Call(request);
  return response.ok() ? Status::Ok() : Status(response.error());
}

}  // namespace baton::runtime
