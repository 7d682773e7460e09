#include "runtime/lock_image.h"

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "base/sha256.h"
#include "docker_client_fixture.h"
#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using nlohmann::json;

// The regular files and directories of a ustar archive: name -> content
// (directories map to "").
std::map<std::string, std::string> Entries(const std::string& tar) {
  std::map<std::string, std::string> entries;
  for (size_t at = 0; at + 512 <= tar.size();) {
    std::string name(tar.c_str() + at);
    if (name.empty()) break;  // the closing zero blocks
    size_t size = std::stoul(tar.substr(at + 124, 11), nullptr, 8);
    entries[name] = tar.substr(at + 512, size);
    at += 512 + (size + 511) / 512 * 512;
  }
  return entries;
}

TEST_CASE("lock image: the archive tags baton/lock:1 with a config that runs baton-lock",
          "[runtime][lock]") {
  auto entries = Entries(MakeLockImageArchive("arm64"));
  REQUIRE(entries.contains("manifest.json"));
  json manifest = json::parse(entries["manifest.json"]);
  REQUIRE(manifest.size() == 1);
  CHECK(manifest[0]["RepoTags"] == json::array({"baton/lock:1"}));
  std::string config_name = manifest[0]["Config"];
  REQUIRE(entries.contains(config_name));
  CHECK(config_name == Sha256Hex(entries[config_name]) + ".json");
  json config = json::parse(entries[config_name]);
  CHECK(config["architecture"] == "arm64");
  CHECK(config["os"] == "linux");
  CHECK(config["config"]["Cmd"] == json::array({"baton-lock"}));
}

TEST_CASE("lock image: the layer named in the manifest matches the config's diff id",
          "[runtime][lock]") {
  auto entries = Entries(MakeLockImageArchive("amd64"));
  json manifest = json::parse(entries["manifest.json"]);
  std::string layer_path = manifest[0]["Layers"][0];
  REQUIRE(entries.contains(layer_path));
  json config = json::parse(entries[manifest[0]["Config"].get<std::string>()]);
  CHECK(config["rootfs"]["diff_ids"] == json::array({"sha256:" + Sha256Hex(entries[layer_path])}));
  CHECK(layer_path == Sha256Hex(entries[layer_path]) + "/layer.tar");
}

TEST_CASE("lock image: the same architecture always gives the same bytes", "[runtime][lock]") {
  CHECK(MakeLockImageArchive("amd64") == MakeLockImageArchive("amd64"));
  CHECK(MakeLockImageArchive("amd64") != MakeLockImageArchive("arm64"));
}

TEST_CASE("lock image: an engine that has it loads nothing", "[runtime][lock]") {
  testing::FakeDockerServer server;
  server.On("GET", "/v1.41/images/baton%2Flock%3A1/json", testing::JsonResponse("{\"Id\":\"x\"}"));
  DockerClient docker = testing::ConnectTo(server);
  REQUIRE(EnsureLockImage(docker).ok());
  CHECK_FALSE(server.Last("POST", "/v1.41/images/load"));
}

TEST_CASE("lock image: an engine without it gets the archive for its architecture",
          "[runtime][lock]") {
  testing::FakeDockerServer server;
  server.On("GET", "/v1.41/images/baton%2Flock%3A1/json",
            testing::DockerError(404, "Not Found", "No such image: baton/lock:1"));
  testing::FakeResponse loaded;
  loaded.chunks = {"{\"stream\":\"Loaded image: baton/lock:1\\n\"}\n"};
  server.On("POST", "/v1.41/images/load", loaded);
  DockerClient docker = testing::ConnectTo(server);
  REQUIRE(EnsureLockImage(docker).ok());
  auto load = server.Last("POST", "/v1.41/images/load");
  REQUIRE(load);
  CHECK(load->body == MakeLockImageArchive("amd64"));  // the fake engine says amd64
}

}  // namespace
}  // namespace baton::runtime
