// The netd image: its tag from the binary's hash, the docker-save archive
// holding /baton-netd, and loading it only into an engine that lacks it.

#include "runtime/netd_image.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "base/sha256.h"
#include "docker_client_fixture.h"
#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using nlohmann::json;

// The entries of a ustar archive: name -> (mode, content).
struct TarEntry {
  int mode = 0;
  std::string content;
};
std::map<std::string, TarEntry> Entries(const std::string& tar) {
  std::map<std::string, TarEntry> entries;
  for (size_t at = 0; at + 512 <= tar.size();) {
    std::string name(tar.c_str() + at);
    if (name.empty()) break;  // the closing zero blocks
    int mode = static_cast<int>(std::stoul(tar.substr(at + 100, 7), nullptr, 8));
    size_t size = std::stoul(tar.substr(at + 124, 11), nullptr, 8);
    entries[name] = {mode, tar.substr(at + 512, size)};
    at += 512 + (size + 511) / 512 * 512;
  }
  return entries;
}

NetdImage Image(const std::string& binary) { return {NetdImageTag(binary), binary, ""}; }

TEST_CASE("netd image: the tag is 12 hex digits of the binary's sha256", "[runtime][netd-image]") {
  CHECK(NetdImageTag("binary") == "baton/netd:" + Sha256Hex("binary").substr(0, 12));
  CHECK(NetdImageTag("binary").size() == std::string("baton/netd:").size() + 12);
  CHECK(NetdImageTag("binary") != NetdImageTag("other binary"));
}

TEST_CASE("netd image: one layer holds /baton-netd, executable", "[runtime][netd-image]") {
  auto entries = Entries(MakeNetdImageArchive(Image("\x7f"
                                                    "ELF..."),
                                              "amd64"));
  json manifest = json::parse(entries["manifest.json"].content);
  REQUIRE(manifest.size() == 1);
  CHECK(manifest[0]["RepoTags"] == json::array({NetdImageTag("\x7f"
                                                             "ELF...")}));
  REQUIRE(manifest[0]["Layers"].size() == 1);
  auto layer = Entries(entries[manifest[0]["Layers"][0].get<std::string>()].content);
  REQUIRE(layer.size() == 1);
  CHECK(layer["baton-netd"].content ==
        "\x7f"
        "ELF...");
  CHECK(layer["baton-netd"].mode == 0755);
}

TEST_CASE("netd image: the config runs /baton-netd for the engine's architecture",
          "[runtime][netd-image]") {
  auto entries = Entries(MakeNetdImageArchive(Image("bin"), "arm64"));
  json manifest = json::parse(entries["manifest.json"].content);
  std::string config_name = manifest[0]["Config"];
  CHECK(config_name == Sha256Hex(entries[config_name].content) + ".json");
  json config = json::parse(entries[config_name].content);
  CHECK(config["architecture"] == "arm64");
  CHECK(config["config"]["Cmd"] == json::array({"/baton-netd"}));
  std::string layer = entries[manifest[0]["Layers"][0].get<std::string>()].content;
  CHECK(config["rootfs"]["diff_ids"] == json::array({"sha256:" + Sha256Hex(layer)}));
}

TEST_CASE("netd image: the same binary always gives the same bytes", "[runtime][netd-image]") {
  CHECK(MakeNetdImageArchive(Image("bin"), "amd64") == MakeNetdImageArchive(Image("bin"), "amd64"));
  CHECK(MakeNetdImageArchive(Image("bin"), "amd64") !=
        MakeNetdImageArchive(Image("bin2"), "amd64"));
}

TEST_CASE("netd image: an engine that has the tag loads nothing", "[runtime][netd-image]") {
  testing::FakeDockerServer server;
  NetdImage image = Image("bin");
  server.On("GET", "/v1.41/images/baton%2Fnetd%3A" + image.tag.substr(11) + "/json",
            testing::JsonResponse("{\"Id\":\"x\"}"));
  DockerClient docker = testing::ConnectTo(server);
  REQUIRE(EnsureNetdImage(docker, image).ok());
  CHECK_FALSE(server.Last("POST", "/v1.41/images/load"));
}

TEST_CASE("netd image: an engine without it gets the archive", "[runtime][netd-image]") {
  testing::FakeDockerServer server;
  NetdImage image = Image("bin");
  server.On("GET", "/v1.41/images/baton%2Fnetd%3A" + image.tag.substr(11) + "/json",
            testing::DockerError(404, "Not Found", "No such image"));
  testing::FakeResponse loaded;
  loaded.chunks = {"{\"stream\":\"Loaded image: " + image.tag + "\\n\"}\n"};
  server.On("POST", "/v1.41/images/load", loaded);
  DockerClient docker = testing::ConnectTo(server);
  REQUIRE(EnsureNetdImage(docker, image).ok());
  auto load = server.Last("POST", "/v1.41/images/load");
  REQUIRE(load);
  CHECK(load->body == MakeNetdImageArchive(image, "amd64"));  // the fake engine says amd64
}

TEST_CASE("netd image: the binary is read from the given path", "[runtime][netd-image]") {
  char dir_template[] = "/tmp/netd-image-test-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  std::string path = std::string(dir_template) + "/baton-netd";
  std::ofstream(path) << "netd bytes";
  auto found = FindNetdBinary(path);
  REQUIRE(found.ok());
  auto image = ReadNetdImage(*found);
  REQUIRE(image.ok());
  CHECK(image->binary == "netd bytes");
  CHECK(image->tag == NetdImageTag("netd bytes"));
  std::remove(path.c_str());
  ::rmdir(dir_template);
}

TEST_CASE("netd image: an indexed image has the read one's tag and loads from its path",
          "[runtime][netd-image]") {
  char dir_template[] = "/tmp/netd-image-test-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  std::string path = std::string(dir_template) + "/baton-netd";
  std::ofstream(path) << std::string(200000, 'n');  // more than one read chunk
  auto read = ReadNetdImage(path);
  auto indexed = IndexNetdImage(path);
  REQUIRE(read.ok());
  REQUIRE(indexed.ok());
  CHECK(indexed->tag == read->tag);
  CHECK(indexed->binary.empty());
  testing::FakeDockerServer server;
  server.On("GET", "/v1.41/images/baton%2Fnetd%3A" + indexed->tag.substr(11) + "/json",
            testing::DockerError(404, "Not Found", "No such image"));
  testing::FakeResponse loaded;
  loaded.chunks = {"{\"stream\":\"Loaded image: " + indexed->tag + "\\n\"}\n"};
  server.On("POST", "/v1.41/images/load", loaded);
  DockerClient docker = testing::ConnectTo(server);
  REQUIRE(EnsureNetdImage(docker, *indexed).ok());
  auto load = server.Last("POST", "/v1.41/images/load");
  REQUIRE(load);
  CHECK(load->body == MakeNetdImageArchive(*read, "amd64"));
  std::ofstream(path) << "changed";  // a rebuilt baton-netd is refused, not loaded
  CHECK(EnsureNetdImage(docker, *indexed).error().kind == Error::Kind::kConflict);
  std::remove(path.c_str());
  ::rmdir(dir_template);
}

TEST_CASE("netd image: a missing binary names its path", "[runtime][netd-image]") {
  auto found = FindNetdBinary("/nonexistent/baton-netd");
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().ToString() ==
        "/nonexistent/baton-netd: no baton-netd binary here (set BATON_NETD to its path)");
}

}  // namespace
}  // namespace baton::runtime
