// The netd image: where its binary is, its tag, and its one layer.

#include "runtime/netd_image.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

#include "base/sha256.h"
#include "base/tar_writer.h"
#include "runtime/saved_image.h"

namespace baton::runtime {
namespace {

constexpr char kNetdPath[] = "baton-netd";  // in the image's root
constexpr char kTagPrefix[] = "baton/netd:";
constexpr size_t kTagHexDigits = 12;

// The image: the binary alone at /baton-netd.
OneLayerImage SavedImage(const NetdImage& image) {
  TarWriter layer;
  (void)layer.AddFile(kNetdPath, image.binary, 0755);  // a fixed short name: it always fits
  return {image.tag, layer.Finish(), {"/baton-netd"}, "baton.netd-image", "baton: network helper"};
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

Result<std::filesystem::path> FindNetdBinaryFromEnvironment() {
  const char* override_path = std::getenv("BATON_NETD");
  return FindNetdBinary(override_path == nullptr ? "" : override_path);
}

Result<NetdImage> ReadNetdImage(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound(path.string(), "cannot open the baton-netd binary");
  NetdImage image;
  image.path = path;
  image.binary.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad() || image.binary.empty())
    return Error::Internal(path.string(), "cannot read the baton-netd binary");
  image.tag = NetdImageTag(image.binary);
  return image;
}

Result<NetdImage> IndexNetdImage(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::NotFound(path.string(), "cannot open the baton-netd binary");
  Sha256 sha;
  std::string chunk(1 << 16, '\0');
  size_t total = 0;
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    sha.Update(std::string_view(chunk.data(), static_cast<size_t>(in.gcount())));
    total += static_cast<size_t>(in.gcount());
  }
  if (in.bad() || total == 0)
    return Error::Internal(path.string(), "cannot read the baton-netd binary");
  NetdImage image;
  image.path = path;
  image.tag = kTagPrefix + sha.HexDigest().substr(0, kTagHexDigits);
  return image;
}

std::string NetdImageTag(std::string_view binary) {
  return kTagPrefix + Sha256Hex(binary).substr(0, kTagHexDigits);
}

std::string MakeNetdImageArchive(const NetdImage& image, const std::string& architecture) {
  return MakeSavedImageArchive(SavedImage(image), architecture);
}

Status EnsureNetdImage(DockerClient& docker, const NetdImage& image) {
  if (!image.binary.empty()) return EnsureImageLoaded(docker, SavedImage(image));
  auto read = ReadNetdImage(image.path);
  if (!read.ok()) return read.error();
  if (read->tag != image.tag)
    return Error::Conflict(image.path.string(), "baton-netd changed while baton ran (" +
                                                    read->tag + ", not " + image.tag + ")");
  return EnsureImageLoaded(docker, SavedImage(*read));
}

}  // namespace baton::runtime
