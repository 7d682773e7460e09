#pragma once
// Images baton makes itself (the deploy lock's, netd's) and loads into an
// engine through the Images API, so they need no registry: a `docker save`
// archive in the layout `docker load` reads (a directory per layer holding
// layer.tar, the config named by its digest, manifest.json tying them to
// the tag), built in memory.

#include <string>
#include <vector>

#include "base/result.h"
#include "runtime/docker_client.h"

namespace baton::runtime {

// An image of one layer.
struct OneLayerImage {
  std::string tag;    // "baton/netd:0123456789ab"
  std::string layer;  // the layer's file system as a tar (base/tar_writer.h)
  std::vector<std::string> cmd;
  std::string label;       // set to "1" in the config's labels, to tell baton's images apart
  std::string created_by;  // the history entry
};

// The archive for `architecture` (the engine's, "amd64"). The same input
// always gives the same bytes, so the same image id.
std::string MakeSavedImageArchive(const OneLayerImage& image, const std::string& architecture);

// Loads `image` into `docker`, built for the engine's architecture, unless
// the engine already has its tag. Errors name the tag.
Status EnsureImageLoaded(DockerClient& docker, const OneLayerImage& image);

}  // namespace baton::runtime
