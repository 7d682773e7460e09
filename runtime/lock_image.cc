// The lock image: one empty layer and a config, loaded where it is missing.

#include "runtime/lock_image.h"

#include "base/tar_writer.h"
#include "runtime/saved_image.h"

namespace baton::runtime {
namespace {

OneLayerImage LockImage() {
  return {kLockImage,
          TarWriter().Finish() /* an empty file system */,
          {"baton-lock"},
          "baton.lock-image",
          "baton: deploy lock"};
}

}  // namespace

std::string MakeLockImageArchive(const std::string& architecture) {
  return MakeSavedImageArchive(LockImage(), architecture);
}

Status EnsureLockImage(DockerClient& docker) { return EnsureImageLoaded(docker, LockImage()); }

}  // namespace baton::runtime
