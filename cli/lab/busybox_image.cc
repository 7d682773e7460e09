#include "cli/lab/busybox_image.h"

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/lab/process.h"
#include "base/sha256.h"
#include "base/tar_writer.h"

namespace baton::cli::lab {
namespace {

constexpr const char* kBusyboxCandidates[] = {"/bin/busybox", "/usr/bin/busybox"};

std::string Architecture() {
#if defined(__x86_64__)
  return "amd64";
#elif defined(__aarch64__)
  return "arm64";
#else
  return "unknown";
#endif
}

std::string JsonList(const std::vector<std::string>& items) {
  // Items are tags and digests we chose: no character needs escaping.
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ",\"" : "\"") + items[i] + "\"";
  return out + "]";
}

std::string ConfigJson(const std::string& layer_digest) {
  return R"({"architecture":")" + Architecture() +
         R"(","os":"linux","created":"1970-01-01T00:00:00Z",)"
         R"("config":{"Cmd":["sh"],)"
         R"("Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},)"
         R"("rootfs":{"type":"layers","diff_ids":["sha256:)" +
         layer_digest + R"("]},"history":[{"created_by":"baton lab: static busybox"}]})";
}

// Every parent directory of `path` ("usr/bin/wc" -> "usr", "usr/bin").
void AddParents(const std::string& path, std::set<std::string>& dirs) {
  for (size_t slash = path.find('/'); slash != std::string::npos;
       slash = path.find('/', slash + 1))
    dirs.insert(path.substr(0, slash));
}

Result<std::string> MakeLayer(std::string_view busybox, const std::vector<std::string>& applets) {
  std::set<std::string> dirs = {"bin", "etc", "root", "tmp"};
  for (const std::string& applet : applets) AddParents(applet, dirs);
  TarWriter tar;
  for (const std::string& dir : dirs) {  // std::set sorts parents before children
    int mode = dir == "tmp" ? 01777 : dir == "root" ? 0700 : 0755;
    if (auto s = tar.AddDirectory(dir, mode); !s.ok()) return s.error();
  }
  if (auto s = tar.AddFile("bin/busybox", busybox, 0755); !s.ok()) return s.error();
  if (auto s = tar.AddFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644); !s.ok())
    return s.error();
  if (auto s = tar.AddFile("etc/group", "root:x:0:\n", 0644); !s.ok()) return s.error();
  for (const std::string& applet : applets) {
    if (applet == "bin/busybox") continue;
    if (auto s = tar.AddSymlink(applet, "/bin/busybox"); !s.ok()) return s.error();
  }
  return tar.Finish();
}

// True when the ELF file has a program interpreter, i.e. is dynamically linked.
bool HasInterpreter(std::string_view elf) {
  auto read = [&](size_t at, size_t size) -> uint64_t {
    uint64_t v = 0;
    if (at + size <= elf.size()) std::memcpy(&v, elf.data() + at, size);  // little-endian hosts
    return v;
  };
  if (elf.substr(0, 4) != "\x7f" "ELF" || read(4, 1) != 2) return false;  // only ELF64 checked
  uint64_t phoff = read(0x20, 8), phentsize = read(0x36, 2), phnum = read(0x38, 2);
  for (uint64_t i = 0; i < phnum; ++i)
    if (read(phoff + i * phentsize, 4) == 3) return true;  // PT_INTERP
  return false;
}

}  // namespace

Result<std::string> MakeBusyboxImageArchive(std::string_view busybox_binary,
                                            const std::vector<std::string>& applet_paths,
                                            const std::vector<std::string>& repo_tags) {
  auto layer = MakeLayer(busybox_binary, applet_paths);
  if (!layer.ok()) return layer.error();
  std::string layer_digest = Sha256Hex(*layer);
  std::string config = ConfigJson(layer_digest);
  std::string config_name = Sha256Hex(config) + ".json";
  std::string manifest = R"([{"Config":")" + config_name + R"(","RepoTags":)" +
                         JsonList(repo_tags) + R"(,"Layers":[")" + layer_digest +
                         "/layer.tar\"]}]";
  TarWriter tar;
  for (Status s : {tar.AddDirectory(layer_digest, 0755),
                   tar.AddFile(layer_digest + "/layer.tar", *layer, 0644),
                   tar.AddFile(config_name, config, 0644),
                   tar.AddFile("manifest.json", manifest, 0644)})
    if (!s.ok()) return s.error();
  return tar.Finish();
}

Result<std::string> BuildBusyboxImageArchive() {
  std::string path;
  for (const char* candidate : kBusyboxCandidates)
    if (std::filesystem::is_regular_file(candidate)) {
      path = candidate;
      break;
    }
  if (path.empty()) return Error::NotFound("", "busybox not found: install busybox-static");
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Error::Invalid("", "cannot read " + path);
  std::stringstream binary;
  binary << in.rdbuf();
  if (HasInterpreter(binary.str()))
    return Error::Invalid("", path + " is dynamically linked: install busybox-static");

  auto listed = RunChecked({path, "--list-full"});
  if (!listed.ok()) return listed.error();
  std::vector<std::string> applets;
  std::istringstream lines(listed->out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line.front() != '/') applets.push_back(line);
  return MakeBusyboxImageArchive(binary.str(), applets, kLabImageTags);
}

}  // namespace baton::cli::lab
