#include "transport/hosts_import.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "transport/hosts_file.h"

namespace baton::transport {
namespace {

namespace fs = std::filesystem;

// A fake HOME: a private directory removed with everything in it.
class FakeHome {
 public:
  FakeHome() {
    std::string pattern = (fs::temp_directory_path() / "baton-home-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
  }
  ~FakeHome() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& dir() const { return dir_; }
  fs::path docker_dir() const { return dir_ / ".docker"; }

  // Writes a context as the docker CLI does: meta/<digest>/meta.json.
  void AddContext(const std::string& digest, const std::string& json) const {
    fs::path meta = docker_dir() / "contexts" / "meta" / digest;
    fs::create_directories(meta);
    Write(meta / "meta.json", json);
  }
  static void Write(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
  }
  static std::string Read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  fs::path dir_;
};

std::string Meta(const std::string& name, const std::string& host) {
  return R"({"Name":")" + name +
         R"(","Metadata":{"Description":""},"Endpoints":{"docker":{"Host":")" + host +
         R"(","SkipTLSVerify":false}}})";
}

HostConfig Host(const std::string& name, const std::string& address) {
  HostConfig host;
  host.name = name;
  host.ssh = *ParseSshAddress(address);
  return host;
}

TEST_CASE("import: contexts are read from the docker CLI's store", "[transport][import]") {
  FakeHome home;
  home.AddContext("b1", Meta("lab2", "ssh://root@10.209.0.12"));
  home.AddContext("a0", Meta("lab1", "ssh://root@10.209.0.11:22"));
  auto contexts = ReadDockerContexts(home.docker_dir());
  REQUIRE(contexts.size() == 2);
  CHECK(contexts[0].name == "lab1");
  CHECK(contexts[0].docker_host == "ssh://root@10.209.0.11:22");
  CHECK(contexts[1].name == "lab2");
}

TEST_CASE("import: a missing context store is empty", "[transport][import]") {
  FakeHome home;
  CHECK(ReadDockerContexts(home.docker_dir()).empty());
}

TEST_CASE("import: DOCKER_CONFIG beats HOME", "[transport][import]") {
  CHECK(DockerConfigDir("/etc/docker-cli", "/root") == "/etc/docker-cli");
  CHECK(DockerConfigDir(nullptr, "/root") == "/root/.docker");
  CHECK(DockerConfigDir("", nullptr).empty());
}

TEST_CASE("import: non-ssh, broken and known contexts are skipped", "[transport][import]") {
  FakeHome home;
  home.AddContext("1", Meta("desktop", "unix:///var/run/docker.sock"));
  home.AddContext("2", "{not json");
  home.AddContext("3", Meta("lab1", "ssh://root@10.209.0.11"));
  home.AddContext("4", Meta("old", "ssh://root@10.209.0.13"));
  home.AddContext("5", Meta("ci+x", "ssh://ci@10.0.0.5"));
  auto plan =
      PlanImport(ReadDockerContexts(home.docker_dir()),
                 {Host("lab1", "ssh://root@10.209.0.99"), Host("lab3", "ssh://root@10.209.0.13")});
  REQUIRE(plan.added.size() == 1);
  CHECK(plan.added[0].name == "ci-x");
  CHECK(plan.added[0].address() == "ssh://ci@10.0.0.5");
  fs::path broken = home.docker_dir() / "contexts/meta/2/meta.json";
  CHECK(plan.skipped == std::vector<std::string>{
                            broken.string() + ": is not a docker context (no \"Name\")",
                            "desktop: unix:///var/run/docker.sock is not an ssh:// endpoint",
                            "lab1: already in the hosts file", "old: already in the hosts file"});
}

TEST_CASE("import: a missing hosts file is created", "[transport][import]") {
  FakeHome home;
  home.AddContext("a", Meta("lab1", "ssh://root@10.209.0.11:22"));
  fs::path file = home.dir() / "baton.hosts.yaml";
  auto outcome = ImportDockerContexts(home.docker_dir(), file);
  REQUIRE(outcome.ok());
  CHECK(outcome->action == ImportOutcome::Action::kCreated);
  CHECK(FakeHome::Read(file) ==
        "# Docker hosts for baton (see baton-hosts(1)).\n"
        "hosts:\n"
        "  - name: lab1\n"
        "    address: \"ssh://root@10.209.0.11:22\"\n");
}

TEST_CASE("import: entries are appended and the old text is kept", "[transport][import]") {
  FakeHome home;
  home.AddContext("a", Meta("lab2", "ssh://root@10.209.0.12"));
  fs::path file = home.dir() / "baton.hosts.yaml";
  std::string old_text =
      "settings: {connect_timeout: 3s}  # keep me\nhosts:\n- name: lab1  # first\n"
      "  address: ssh://root@10.209.0.11\n  labels: {zone: a}";
  FakeHome::Write(file, old_text);
  ::chmod(file.c_str(), 0600);
  auto outcome = ImportDockerContexts(home.docker_dir(), file);
  REQUIRE(outcome.ok());
  CHECK(outcome->action == ImportOutcome::Action::kAppended);
  CHECK(FakeHome::Read(file) ==
        old_text + "\n- name: lab2\n  address: \"ssh://root@10.209.0.12\"\n");
  CHECK((fs::status(file).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
}

TEST_CASE("import: entries go before the keys that follow the hosts list", "[transport][import]") {
  std::string old_text =
      "hosts:\n  - name: lab1\n    address: ssh://a\n\n# how long to wait\nsettings:\n"
      "  connect_timeout: 3s\n";
  auto appended = AppendHostEntries("h.yaml", old_text, {Host("lab2", "ssh://root@b")});
  REQUIRE(appended.ok());
  CHECK(*appended ==
        "hosts:\n  - name: lab1\n    address: ssh://a\n  - name: lab2\n"
        "    address: \"ssh://root@b\"\n\n# how long to wait\nsettings:\n  connect_timeout: 3s\n");
}

TEST_CASE("import: entries are printed when appending is unsafe", "[transport][import]") {
  FakeHome home;
  home.AddContext("a", Meta("lab2", "ssh://root@10.209.0.12"));
  fs::path file = home.dir() / "baton.hosts.yaml";
  std::string old_text = "hosts: [{name: lab1, address: ssh://a}]\n";
  FakeHome::Write(file, old_text);
  auto outcome = ImportDockerContexts(home.docker_dir(), file);
  REQUIRE(outcome.ok());
  CHECK(outcome->action == ImportOutcome::Action::kPrinted);
  CHECK(outcome->reason == "its hosts list is written in flow style ([...])");
  CHECK(outcome->printed == "  - name: lab2\n    address: \"ssh://root@10.209.0.12\"\n");
  CHECK(FakeHome::Read(file) == old_text);
}

TEST_CASE("import: a flow-style hosts list is not appended to", "[transport][import]") {
  auto appended =
      AppendHostEntries("h.yaml", "hosts: [{name: a, address: ssh://a}]\n", {Host("b", "ssh://b")});
  REQUIRE_FALSE(appended.ok());
  CHECK(appended.error().kind == Error::Kind::kConflict);
  CHECK(appended.error().message == "its hosts list is written in flow style ([...])");
}

TEST_CASE("import: a broken hosts file is left alone", "[transport][import]") {
  FakeHome home;
  home.AddContext("a", Meta("lab2", "ssh://root@10.209.0.12"));
  fs::path file = home.dir() / "baton.hosts.yaml";
  FakeHome::Write(file, "hosts:\n  - name: lab1\n");
  auto outcome = ImportDockerContexts(home.docker_dir(), file);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().ToString() ==
        file.string() + ":2:5: hosts[0]: missing required key address");
  CHECK(FakeHome::Read(file) == "hosts:\n  - name: lab1\n");
}

TEST_CASE("import: nothing new leaves the file untouched", "[transport][import]") {
  FakeHome home;
  home.AddContext("a", Meta("lab1", "ssh://root@10.209.0.11"));
  fs::path file = home.dir() / "baton.hosts.yaml";
  FakeHome::Write(file, "hosts:\n  - {name: lab1, address: ssh://root@10.209.0.11}\n");
  auto outcome = ImportDockerContexts(home.docker_dir(), file);
  REQUIRE(outcome.ok());
  CHECK(outcome->action == ImportOutcome::Action::kNothingToAdd);
  CHECK(outcome->plan.skipped == std::vector<std::string>{"lab1: already in the hosts file"});
}

}  // namespace
}  // namespace baton::transport
