// The netd image as a docker-save archive, in the layout lock_image.cc
// writes: a directory per layer holding layer.tar, the config named by its
// digest, and manifest.json tying them to the tag.

#include "runtime/netd_image.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <span>
#include <system_error>

#include "base/sha256.h"
#include "base/tar_writer.h"

namespace baton::runtime {
namespace {

using nlohmann::json;

constexpr char kNetdPath[] = "baton-netd";  // in the image's root
constexpr char kTagPrefix[] = "baton/netd:";
constexpr size_t kTagHexDigits = 12;

std::string ConfigJson(const std::string& architecture, const std::string& layer_digest) {
  json config = {{"architecture", architecture},
                 {"os", "linux"},
                 {"created", "1970-01-01T00:00:00Z"},
                 {"config", {{"Cmd", {"/baton-netd"}}, {"Labels", {{"baton.netd-image", "1"}}}}},
                 {"rootfs", {{"type", "layers"}, {"diff_ids", {"sha256:" + layer_digest}}}},
                 {"history", {{{"created_by", "baton: network helper"}}}}};
  return config.dump();
}

// Hands `data` to LoadImages piece by piece.
BodyReader ReaderOf(std::string_view& rest) {
  return [&rest](std::span<char> buffer) -> Result<size_t> {
    size_t n = std::min(buffer.size(), rest.size());
    std::copy_n(rest.data(), n, buffer.data());
    rest.remove_prefix(n);
    return n;
  };
}

}  // namespace

Result<std::filesystem::path> FindNetdBinary(std::string_view override_path) {
  std::filesystem::path path;
  if (!override_path.empty()) {
    path = override_path;
  } else {
    std::error_code error;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) return Error::Internal("/proc/self/exe", "cannot find baton's own executable");
    path = self.parent_path() / kNetdPath;
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    return Error::NotFound(path.string(), "no baton-netd binary here (set BATON_NETD to its path)");
  return path;
}

Result<NetdImage> ReadNetdImage(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound(path.string(), "cannot open the baton-netd binary");
  NetdImage image;
  image.binary.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad() || image.binary.empty())
    return Error::Internal(path.string(), "cannot read the baton-netd binary");
  image.tag = NetdImageTag(image.binary);
  return image;
}

std::string NetdImageTag(std::string_view binary) {
  return kTagPrefix + Sha256Hex(binary).substr(0, kTagHexDigits);
}

std::string MakeNetdImageArchive(const NetdImage& image, const std::string& architecture) {
  TarWriter layer_tar;
  (void)layer_tar.AddFile(kNetdPath, image.binary, 0755);
  std::string layer = layer_tar.Finish();
  std::string layer_digest = Sha256Hex(layer);
  std::string config = ConfigJson(architecture, layer_digest);
  std::string config_name = Sha256Hex(config) + ".json";
  json manifest = json::array({{{"Config", config_name},
                                {"RepoTags", {image.tag}},
                                {"Layers", {layer_digest + "/layer.tar"}}}});
  TarWriter tar;
  // The names are hex digests and fixed words: they always fit ustar headers.
  (void)tar.AddDirectory(layer_digest, 0755);
  (void)tar.AddFile(layer_digest + "/layer.tar", layer, 0644);
  (void)tar.AddFile(config_name, config, 0644);
  (void)tar.AddFile("manifest.json", manifest.dump(), 0644);
  return tar.Finish();
}

Status EnsureNetdImage(DockerClient& docker, const NetdImage& image) {
  Result<ImageInfo> present = docker.InspectImage(image.tag);
  if (present.ok()) return Status::Ok();
  if (present.error().kind != Error::Kind::kNotFound) return present.error();
  std::string arch = docker.engine_version().arch.empty() ? "amd64" : docker.engine_version().arch;
  std::string archive = MakeNetdImageArchive(image, arch);
  std::string_view rest = archive;
  Result<std::vector<std::string>> loaded = docker.LoadImages(ReaderOf(rest));
  if (!loaded.ok()) return loaded.error().Within("load " + image.tag);
  return Status::Ok();
}

}  // namespace baton::runtime
