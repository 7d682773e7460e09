#pragma once
// Copies of project files on a host (issue 8). A bind mount whose source is
// in the project folder, and every config, is served from a copy: a Docker
// volume "baton-files-<project>-<digest[:16]>" filled through a helper
// container that is created (never started) with the volume mounted, by
// PUT /containers/{id}/archive. A marker volume "<name>.ok", made only after
// the upload verified, says the copy is complete. Containers bind
// "<the volume's Mountpoint>/<subpath>". No shell anywhere: removal is
// DELETE /volumes/....

#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>

#include "base/result.h"
#include "runtime/content_source.h"
#include "runtime/docker_client.h"

namespace baton::runtime {

// "baton-files-shop-0123456789abcdef".
std::string FileCopyVolume(const std::string& project, const std::string& digest);

// Replaces any leftover of an interrupted upload (helper, marker, volume),
// creates the volume and a helper container mounting it at /copy, uploads
// `tar` there, checks tar.Verify(), removes the helper, then creates the
// marker. Errors name the step ("upload ./site: ...").
Status UploadFileCopy(DockerClient& docker, const std::string& project, const std::string& digest,
                      TarSource& tar, const std::function<void(uint64_t sent)>& on_bytes,
                      std::stop_token stop);

// Removes the marker, a leftover helper and the volume, in that order; Ok
// when already gone. kConflict while a container still mounts it.
Status RemoveFileCopy(DockerClient& docker, const std::string& project, const std::string& digest);

// "<Mountpoint>/<subpath>" (the Mountpoint alone for an empty subpath) of a
// complete copy on this engine; kNotFound without its marker.
Result<std::string> FileCopyPath(DockerClient& docker, const std::string& project,
                                 const std::string& digest, const std::string& subpath);

}  // namespace baton::runtime
