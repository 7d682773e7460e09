#pragma once
// The image of the network helper (netd): the statically linked
// `baton-netd` binary alone, at /baton-netd. baton builds it in memory as a
// `docker save` archive and loads it into an engine that lacks it (as
// lock_image.h does), so no registry is needed. The tag names the binary's
// content, so a new baton-netd gives a new image and so a new netd spec hash.

#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.h"
#include "runtime/docker_client.h"

namespace baton::runtime {

struct NetdImage {
  std::string tag;     // "baton/netd:0123456789ab"
  std::string binary;  // the baton-netd executable's bytes; empty: read from `path` when needed
  std::filesystem::path path;
};

// Where baton-netd is: `override_path` when not empty ($BATON_NETD), else
// beside the running executable (/proc/self/exe), where the build puts it.
// kNotFound naming the path when no file is there.
Result<std::filesystem::path> FindNetdBinary(std::string_view override_path);
// The same with $BATON_NETD as the override, as every command looks it up.
Result<std::filesystem::path> FindNetdBinaryFromEnvironment();

// Reads the binary at `path`. kNotFound or kInternal naming the path.
Result<NetdImage> ReadNetdImage(const std::filesystem::path& path);

// The image's tag from the binary at `path`, read through once; the bytes
// are read again only when a host lacks the image. For a long-running
// process (the watcher), which would otherwise hold the whole binary.
Result<NetdImage> IndexNetdImage(const std::filesystem::path& path);

// "baton/netd:" + the first 12 hex digits of the binary's SHA-256.
std::string NetdImageTag(std::string_view binary);

// A docker-save archive of the image for `architecture` (the engine's,
// "amd64"): manifest.json, the config (Entrypoint none, Cmd ["/baton-netd"])
// and one layer holding /baton-netd, mode 0755. The same input always gives
// the same bytes, so the same image id.
std::string MakeNetdImageArchive(const NetdImage& image, const std::string& architecture);

// Loads the image into `docker` unless the engine already has its tag
// (reading the binary from image.path if image.binary is empty).
Status EnsureNetdImage(DockerClient& docker, const NetdImage& image);

}  // namespace baton::runtime
