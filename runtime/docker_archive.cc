// DockerClient::PutArchive: PUT /containers/{id}/archive, extracting a tar
// into a container's filesystem (its volumes and binds included, also when
// it never started).

#include <chrono>
#include <utility>

#include "runtime/docker_client.h"

namespace baton::runtime {

Status DockerClient::PutArchive(std::string_view container, const std::string& path,
                                const BodyReader& tar, std::stop_token stop) {
  // copyUIDGID is never sent: with it, 20.10 chowns to the container's user
  // as looked up on the host, and podman inverts the flag. The tar headers
  // carry the owners and modes wanted.
  QueryString query;
  query.Add("path", path).Add("noOverwriteDirNonDir", "1");
  HttpRequest request =
      Request("PUT", "/containers/" + UrlEscape(container) + "/archive" + query.str());
  request.content_type = "application/x-tar";
  request.upload = tar;
  request.timeout = std::chrono::milliseconds(0);  // as long as the upload takes
  request.stop = std::move(stop);
  // ResponseError maps 400 (not a directory) to kInvalid, 403 (read-only) to
  // kConflict and 404 (no container or path) to kNotFound.
  Result<HttpResponse> response = Call(request);
  if (!response.ok()) return response.error();
  if (response->stopped) return AtCall(request, Error::Internal("", "interrupted"));
  return Status::Ok();
}

}  // namespace baton::runtime
