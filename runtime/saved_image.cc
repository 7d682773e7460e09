#include "runtime/saved_image.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "base/sha256.h"
#include "base/tar_writer.h"

namespace baton::runtime {
namespace {

using nlohmann::json;

std::string ConfigJson(const OneLayerImage& image, const std::string& architecture,
                       const std::string& layer_digest) {
  json config = {{"architecture", architecture},
                 {"os", "linux"},
                 {"created", "1970-01-01T00:00:00Z"},
                 {"config", {{"Cmd", image.cmd}, {"Labels", {{image.label, "1"}}}}},
                 {"rootfs", {{"type", "layers"}, {"diff_ids", {"sha256:" + layer_digest}}}},
                 {"history", {{{"created_by", image.created_by}}}}};
  return config.dump();
}

}  // namespace

std::string MakeSavedImageArchive(const OneLayerImage& image, const std::string& architecture) {
  std::string layer_digest = Sha256Hex(image.layer);
  std::string config = ConfigJson(image, architecture, layer_digest);
  std::string config_name = Sha256Hex(config) + ".json";
  json manifest = json::array({{{"Config", config_name},
                                {"RepoTags", {image.tag}},
                                {"Layers", {layer_digest + "/layer.tar"}}}});
  TarWriter tar;
  // The names are hex digests and fixed words: they always fit ustar headers.
  (void)tar.AddDirectory(layer_digest, 0755);
  (void)tar.AddFile(layer_digest + "/layer.tar", image.layer, 0644);
  (void)tar.AddFile(config_name, config, 0644);
  (void)tar.AddFile("manifest.json", manifest.dump(), 0644);
  return tar.Finish();
}

Status EnsureImageLoaded(DockerClient& docker, const OneLayerImage& image) {
  Result<ImageInfo> present = docker.InspectImage(image.tag);
  if (present.ok()) return Status::Ok();
  if (present.error().kind != Error::Kind::kNotFound) return present.error();
  std::string arch = docker.engine_version().arch.empty() ? "amd64" : docker.engine_version().arch;
  std::string archive = MakeSavedImageArchive(image, arch);
  std::string_view rest = archive;
  Result<std::vector<std::string>> loaded =
      docker.LoadImages([&rest](std::span<char> buffer) -> Result<size_t> {
        size_t n = std::min(buffer.size(), rest.size());
        std::copy_n(rest.data(), n, buffer.data());
        rest.remove_prefix(n);
        return n;
      });
  if (!loaded.ok()) return loaded.error().Within("load " + image.tag);
  return Status::Ok();
}

}  // namespace baton::runtime
