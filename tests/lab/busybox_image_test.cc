#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "cli/lab/busybox_image.h"
#include "base/sha256.h"
#include "tests/base/tar_reader.h"

namespace baton::cli::lab {
namespace {

using testing::ReadTar;
using testing::TarEntry;

std::map<std::string, TarEntry> ByName(const std::string& archive) {
  std::map<std::string, TarEntry> entries;
  for (const TarEntry& e : ReadTar(archive)) entries[e.name] = e;
  return entries;
}

struct FakeImage {
  std::map<std::string, TarEntry> outer;
  std::string layer_digest;
  std::map<std::string, TarEntry> layer;
};

FakeImage BuildFake() {
  auto archive = MakeBusyboxImageArchive("BUSYBOX-BINARY", {"bin/sh", "usr/bin/wc"},
                                         {"baton/busybox:lab", "busybox:latest"});
  REQUIRE(archive.ok());
  FakeImage image;
  image.outer = ByName(*archive);
  for (const auto& [name, entry] : image.outer)
    if (name.size() > 10 && name.substr(name.size() - 10) == "/layer.tar") {
      image.layer_digest = name.substr(0, name.size() - 10);
      image.layer = ByName(entry.content);
    }
  return image;
}

TEST_CASE("busybox image: manifest names the config, both tags and the layer",
          "[lab][image]") {
  FakeImage image = BuildFake();
  REQUIRE(image.outer.count("manifest.json"));
  std::string config_name;
  for (const auto& [name, entry] : image.outer)
    if (name != "manifest.json" && name.size() > 5 && name.substr(name.size() - 5) == ".json")
      config_name = name;
  REQUIRE_FALSE(config_name.empty());
  CHECK(image.outer.at("manifest.json").content ==
        R"([{"Config":")" + config_name +
            R"(","RepoTags":["baton/busybox:lab","busybox:latest"],"Layers":[")" +
            image.layer_digest + "/layer.tar\"]}]");
}

TEST_CASE("busybox image: config is named by its digest and lists the layer's digest",
          "[lab][image]") {
  FakeImage image = BuildFake();
  std::string layer_tar = image.outer.at(image.layer_digest + "/layer.tar").content;
  CHECK(image.layer_digest == Sha256Hex(layer_tar));
  bool found = false;
  for (const auto& [name, entry] : image.outer) {
    if (name == "manifest.json" || name.size() < 5 || name.substr(name.size() - 5) != ".json")
      continue;
    found = true;
    CHECK(name == Sha256Hex(entry.content) + ".json");
    CHECK(entry.content.find(R"("diff_ids":["sha256:)" + image.layer_digest + "\"]") !=
          std::string::npos);
    CHECK(entry.content.find(R"("Cmd":["sh"])") != std::string::npos);
  }
  CHECK(found);
}

TEST_CASE("busybox image: layer holds the binary and a symlink per applet", "[lab][image]") {
  FakeImage image = BuildFake();
  REQUIRE(image.layer.count("bin/busybox"));
  CHECK(image.layer.at("bin/busybox").content == "BUSYBOX-BINARY");
  CHECK(image.layer.at("bin/busybox").mode == 0755);
  for (const char* applet : {"bin/sh", "usr/bin/wc"}) {
    REQUIRE(image.layer.count(applet));
    CHECK(image.layer.at(applet).type == '2');
    CHECK(image.layer.at(applet).link == "/bin/busybox");
  }
}

TEST_CASE("busybox image: layer has applet parents, a sticky /tmp and root's passwd entry",
          "[lab][image]") {
  FakeImage image = BuildFake();
  for (const char* dir : {"bin/", "etc/", "root/", "tmp/", "usr/", "usr/bin/"})
    CHECK(image.layer.count(dir) == 1);
  CHECK(image.layer.at("tmp/").mode == 01777);
  CHECK(image.layer.at("etc/passwd").content == "root:x:0:0:root:/root:/bin/sh\n");
}

TEST_CASE("busybox image: parents come before their entries", "[lab][image]") {
  auto archive = MakeBusyboxImageArchive("B", {"usr/sbin/x"}, {"t:1"});
  REQUIRE(archive.ok());
  std::string layer;
  for (const TarEntry& e : ReadTar(*archive))
    if (e.name.find("/layer.tar") != std::string::npos) layer = e.content;
  std::vector<std::string> order;
  for (const TarEntry& e : ReadTar(layer)) order.push_back(e.name);
  auto at = [&](const std::string& name) {
    return std::find(order.begin(), order.end(), name) - order.begin();
  };
  CHECK(at("usr/") < at("usr/sbin/"));
  CHECK(at("usr/sbin/") < at("usr/sbin/x"));
}

TEST_CASE("busybox image: same input gives the same archive", "[lab][image]") {
  auto a = MakeBusyboxImageArchive("B", {"bin/sh"}, {"t:1"});
  auto b = MakeBusyboxImageArchive("B", {"bin/sh"}, {"t:1"});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a == *b);
}

TEST_CASE("busybox image: applet path too long for tar is an error", "[lab][image]") {
  auto archive = MakeBusyboxImageArchive("B", {std::string(101, 'x')}, {"t:1"});
  REQUIRE_FALSE(archive.ok());
  CHECK(archive.error().ToString() == "tar: path too long for ustar: " + std::string(101, 'x'));
}

}  // namespace
}  // namespace baton::cli::lab
