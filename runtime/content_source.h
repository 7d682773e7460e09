#pragma once
// The local bytes `up` sends to the hosts: build contexts, copies of project
// files and secret values. runtime/content reads them from the project
// folder (ProjectContentSource); runtime tests fake them. The planner only
// ever sees their digests (planner::ServiceContent).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/result.h"
#include "runtime/docker_images.h"

namespace baton::runtime {

// One tar stream made from local files, read once from the start.
class TarSource {
 public:
  virtual ~TarSource() = default;
  // Up to buffer.size() bytes; 0 at the end (as runtime::BodyReader).
  virtual Result<size_t> Read(std::span<char> buffer) = 0;
  // After the end: kConflict "./nginx/nginx.conf changed since the plan; run
  // up again" when the bytes sent do not have the planned digest.
  virtual Status Verify() const = 0;
  virtual uint64_t size() const = 0;  // bytes in all, for progress
};

class ContentSource {
 public:
  virtual ~ContentSource() = default;
  // The copy with digest `digest` (planner::FileCopyUse), entries at the tar's
  // root: a file copy is one entry named after FileCopyUse::subpath.
  virtual Result<std::unique_ptr<TarSource>> OpenCopy(const std::string& digest) const = 0;
  // The build context of `service`, filtered by its .dockerignore.
  virtual Result<std::unique_ptr<TarSource>> OpenBuildContext(
      const std::string& service) const = 0;
  // POST /build parameters of `service`, without baton's labels.
  virtual Result<BuildRequest> BuildRequestOf(const std::string& service) const = 0;
  // For delivery only: never log it, never put it in an Error.
  virtual Result<std::string> SecretValue(const std::string& key) const = 0;
};

}  // namespace baton::runtime
