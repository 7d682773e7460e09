#include "transport/host_selection.h"

#include <catch2/catch.hpp>
#include <map>

namespace baton::transport {
namespace {

// Files in memory; nothing else exists.
class MemoryFileSystem final : public FileSystem {
 public:
  using Files = std::map<std::string, std::string>;
  explicit MemoryFileSystem(Files files) : files_(std::move(files)) {}
  Result<std::string> Read(const std::filesystem::path& path) override {
    auto it = files_.find(path.string());
    if (it == files_.end()) return Error::NotFound(path.string(), "no such file");
    return it->second;
  }
  bool IsFile(const std::filesystem::path& path) override { return files_.count(path.string()); }
  bool IsDirectory(const std::filesystem::path&) override { return false; }

 private:
  std::map<std::string, std::string> files_;
};

constexpr const char* kOneHost = "hosts:\n  - {name: lab1, address: ssh://root@10.209.0.11}\n";

std::vector<std::string> Names(const HostInventory& inventory) {
  std::vector<std::string> names;
  for (const HostConfig& host : inventory.hosts) names.push_back(host.name);
  return names;
}

TEST_CASE("host selection: no hosts anywhere means the local engine", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{});
  auto selected = SelectHosts({}, fs);
  REQUIRE(selected.ok());
  REQUIRE(selected->hosts.size() == 1);
  CHECK(selected->hosts[0].name == "local");
  CHECK(selected->hosts[0].is_local());
  CHECK(selected->hosts[0].address() == "unix:///var/run/docker.sock");
  CHECK(selected->origin == "local engine");
}

TEST_CASE("host selection: DOCKER_HOST names the local socket", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{});
  HostSources sources;
  sources.env_docker_host = "unix:///run/user/1000/docker.sock";
  auto selected = SelectHosts(sources, fs);
  REQUIRE(selected.ok());
  CHECK(selected->hosts[0].socket == "/run/user/1000/docker.sock");
}

TEST_CASE("host selection: a tcp DOCKER_HOST is refused", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{});
  HostSources sources;
  sources.env_docker_host = "tcp://10.0.0.1:2375";
  auto selected = SelectHosts(sources, fs);
  REQUIRE_FALSE(selected.ok());
  CHECK(selected.error().ToString() ==
        "$DOCKER_HOST: unsupported scheme \"tcp\" (expected ssh://[user@]host[:port] or "
        "unix:///path)");
}

TEST_CASE("host selection: baton.hosts.yaml beside the compose file", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{{"/app/baton.hosts.yaml", kOneHost}});
  HostSources sources;
  sources.default_dir = "/app";
  sources.env_docker_host = "unix:///ignored.sock";
  auto selected = SelectHosts(sources, fs);
  REQUIRE(selected.ok());
  CHECK(Names(*selected) == std::vector<std::string>{"lab1"});
  CHECK(selected->origin == "/app/baton.hosts.yaml");
}

TEST_CASE("host selection: the hosts file's cluster settings come along, defaults otherwise",
          "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{
      {"/app/baton.hosts.yaml",
       std::string(kOneHost) + "cluster: {overlay: vxlan, dns_upstream: [10.0.0.2]}\n"}});
  HostSources sources;
  sources.default_dir = "/app";
  auto from_file = SelectHosts(sources, fs);
  REQUIRE(from_file.ok());
  CHECK(from_file->cluster.overlay == "vxlan");
  CHECK(from_file->cluster.dns_upstream == std::vector<std::string>{"10.0.0.2"});
  auto local = SelectHosts({}, fs);
  REQUIRE(local.ok());
  CHECK(local->cluster.overlay == "auto");
  CHECK(local->cluster.subnet == "10.210.0.0/16");
}

TEST_CASE("host selection: BATON_HOSTS beats the default file", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{
      {"/app/baton.hosts.yaml", "hosts:\n  - {name: other, address: ssh://o}\n"},
      {"/lab/hosts.yaml", kOneHost}});
  HostSources sources;
  sources.default_dir = "/app";
  sources.env_hosts_file = "/lab/hosts.yaml";
  auto selected = SelectHosts(sources, fs);
  REQUIRE(selected.ok());
  CHECK(Names(*selected) == std::vector<std::string>{"lab1"});
}

TEST_CASE("host selection: a missing --hosts file is an error", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{});
  HostSources sources;
  sources.hosts_file = "/nowhere/hosts.yaml";
  auto selected = SelectHosts(sources, fs);
  REQUIRE_FALSE(selected.ok());
  CHECK(selected.error().kind == Error::Kind::kNotFound);
  CHECK(selected.error().ToString() == "/nowhere/hosts.yaml: no such file");
}

TEST_CASE("host selection: -H hosts are named after their host", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{{"baton.hosts.yaml", kOneHost}});
  HostSources sources;
  sources.addresses = {"ssh://root@10.209.0.12:22", "ssh://[fd00::1]"};
  auto selected = SelectHosts(sources, fs);
  REQUIRE(selected.ok());
  CHECK(Names(*selected) == std::vector<std::string>{"10.209.0.12", "fd00--1"});
  CHECK(selected->hosts[0].ssh == SshAddress{"root", "10.209.0.12", 22});
  CHECK(selected->origin == "-H");
}

TEST_CASE("host selection: a bad -H value is named", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{});
  HostSources sources;
  sources.addresses = {"ssh://h:0"};
  auto selected = SelectHosts(sources, fs);
  REQUIRE_FALSE(selected.ok());
  CHECK(selected.error().ToString() ==
        "-H ssh://h:0: invalid port \"0\" in \"ssh://h:0\" (expected 1-65535)");
}

TEST_CASE("host selection: the same -H host twice is refused", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{});
  HostSources sources;
  sources.addresses = {"ssh://a@h", "ssh://b@h"};
  auto selected = SelectHosts(sources, fs);
  REQUIRE_FALSE(selected.ok());
  CHECK(selected.error().ToString() == "-H ssh://b@h: host \"h\" is given twice");
}

TEST_CASE("host selection: --hosts and -H together are refused", "[transport][select]") {
  MemoryFileSystem fs(MemoryFileSystem::Files{});
  HostSources sources;
  sources.addresses = {"ssh://h"};
  sources.hosts_file = "hosts.yaml";
  auto selected = SelectHosts(sources, fs);
  REQUIRE_FALSE(selected.ok());
  CHECK(selected.error().ToString() == "--hosts and -H cannot be used together");
}

}  // namespace
}  // namespace baton::transport
