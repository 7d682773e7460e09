#include "compose/load.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/compose/loader_fixture.h"

namespace baton::compose {
namespace {

namespace fs = std::filesystem;
using testing::In;
using testing::HaveLoaderFixtures;
using testing::kLoaderFixtures;
using testing::MemoryFileSystem;
using testing::Strings;

Project Loaded(const LoadOptions& options, MemoryFileSystem& files) {
  auto project = Load(options, files);
  if (!project.ok()) FAIL(project.error().ToString());
  return std::move(*project);
}

std::string LoadError(const LoadOptions& options, MemoryFileSystem& files) {
  auto project = Load(options, files);
  return project.ok() ? "loaded" : project.error().ToString();
}

// The keys of a map: service names, network names, ...
template <typename Map>
Strings Names(const Map& map) {
  Strings out;
  for (const auto& [name, value] : map) out.push_back(name);
  return out;
}

TEST_CASE("load: the files found are merged in order", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "services:\n  web:\n    image: web:1\n    ports: ['80:80']\n");
  files.Add("/w/compose.override.yaml",
            "services:\n  web:\n    image: web:2\n  db:\n    image: db\n");
  Project p = Loaded(In("/w"), files);
  CHECK(p.name == "w");
  CHECK(p.working_dir == "/w");
  CHECK(p.compose_files == Strings{"/w/compose.yaml", "/w/compose.override.yaml"});
  CHECK(Names(p.services) == Strings{"db", "web"});
  CHECK(p.services.at("web").image == "web:2");
  CHECK(p.services.at("web").ports.size() == 1);
}

TEST_CASE("load: files see the project name as COMPOSE_PROJECT_NAME", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml",
            "name: shop\nservices:\n  web:\n    image: ${COMPOSE_PROJECT_NAME}-web\n");
  Project p = Loaded(In("/w"), files);
  CHECK(p.name == "shop");
  CHECK(p.services.at("web").image == "shop-web");
}

TEST_CASE("load: the environment wins over .env in interpolation", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "services:\n  web:\n    image: ${IMAGE}:${TAG}\n");
  files.Add("/w/.env", "IMAGE=from_file\nTAG=file\n");
  Project p = Loaded(In("/w", {{"TAG", "env"}}), files);
  CHECK(p.services.at("web").image == "from_file:env");
}

TEST_CASE("load: interpolation can be turned off", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "services:\n  web:\n    image: ${IMAGE}\n");
  LoadOptions options = In("/w");
  options.interpolate = false;
  CHECK(Loaded(options, files).services.at("web").image == "${IMAGE}");
}

TEST_CASE("load: profiles from .env decide the enabled services", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml",
            "services:\n  web:\n    image: web\n  debug:\n    image: d\n    profiles: [debug]\n"
            "  ops:\n    image: o\n    profiles: [ops]\n");
  files.Add("/w/.env", "COMPOSE_PROFILES=debug\n");
  Project p = Loaded(In("/w"), files);
  CHECK(Names(p.services) == Strings{"debug", "web"});
  CHECK(Names(p.disabled_services) == Strings{"ops"});
}

TEST_CASE("load: a dependency cycle among disabled services is not checked", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml",
            "services:\n  web:\n    image: web\n"
            "  a:\n    image: a\n    profiles: [p]\n    depends_on: [b]\n"
            "  b:\n    image: b\n    profiles: [p]\n    depends_on: [a]\n");
  Project p = Loaded(In("/w"), files);
  CHECK(Names(p.services) == Strings{"web"});
  CHECK(LoadError(In("/w", {{"COMPOSE_PROFILES", "p"}}), files) ==
        "compose.yaml:7:5: services.a.depends_on: dependency cycle detected: a -> b -> a");
}

TEST_CASE("load: an empty file is refused", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "# nothing\n");
  CHECK(LoadError(In("/w"), files) == "compose.yaml: empty compose file");
}

TEST_CASE("load: a file with a name and no services loads", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "name: quiet\n");
  Project p = Loaded(In("/w"), files);
  CHECK(p.name == "quiet");
  CHECK(p.services.empty());
}

TEST_CASE("load: a missing -f file is an error", "[compose][load]") {
  MemoryFileSystem files;
  LoadOptions options = In("/w");
  options.files = {"gone.yaml"};
  CHECK(LoadError(options, files) == "gone.yaml: no such file");
}

TEST_CASE("load: errors of a per-file stage are located", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "services:\n  web:\n    image: ${TAG:?set TAG}\n");
  CHECK(LoadError(In("/w"), files) ==
        "compose.yaml:3:12: services.web.image: required variable TAG is missing a value: set TAG");
}

TEST_CASE("load: an undefined network is refused unless consistency is off", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "services:\n  web:\n    image: web\n    networks: [nowhere]\n");
  CHECK(LoadError(In("/w"), files) != "loaded");
  LoadOptions options = In("/w");
  options.check_consistency = false;
  CHECK(LoadError(options, files) == "loaded");
}

// --- compose-go's fixtures --------------------------------------------------

// The whole loader on one of compose-go's fixtures, run in its directory.
Result<Project> LoadWhole(const std::string& name) {
  RealFileSystem real;
  const fs::path file = fs::canonical(kLoaderFixtures / name);
  LoadOptions options = In(file.parent_path().string(), {{"HOME", "/home/me"}});
  options.files = {file.string()};
  return Load(options, real);
}

TEST_CASE("load: compose-go fixtures", "[compose][load]") {
  if (!HaveLoaderFixtures()) return;
  SECTION("an empty file is refused") {
    auto p = LoadWhole("empty.yaml");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message == "empty compose file");
  }
  SECTION("a file including itself is refused") {
    auto p = LoadWhole("compose-include-cycle.yaml");
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().ToString() ==
          "compose-include-cycle.yaml:2:5: include[0]: include cycle: "
          "compose-include-cycle.yaml -> compose-include-cycle.yaml");
  }
  SECTION("an include and an extends load") {
    auto p = LoadWhole("compose-include.yaml");
    if (!p.ok()) FAIL(p.error().ToString());
    CHECK(Names(p->services) == Strings{"bar", "imported"});
    CHECK(p->services.at("imported").container_name == "imported");
  }
  SECTION("extends from another file loads") {
    auto p = LoadWhole("compose-test-extends.yaml");
    if (!p.ok()) FAIL(p.error().ToString());
    CHECK(p->name == "compose-test-extends");
    CHECK(p->services.at("importer").image == "nginx");
  }
}

TEST_CASE("load: !override on list syntax in an override file replaces the base value",
          "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml",
            "services:\n  web:\n    image: web\n    environment: [A=1]\n    ports: ['80:80']\n"
            "    depends_on: [db]\n    networks: [front]\n  db:\n    image: db\n"
            "  cache:\n    image: c\nnetworks:\n  front:\n  back:\n");
  files.Add("/w/compose.override.yaml",
            "services:\n  web:\n    environment: !override [B=2]\n"
            "    ports: !override ['81:81']\n    depends_on: !override [cache]\n"
            "    networks: !override [back]\n");
  const Service web = Loaded(In("/w"), files).services.at("web");
  CHECK(web.environment == OptionalStringMap{{"B", "2"}});
  REQUIRE(web.ports.size() == 1);
  CHECK(web.ports[0].target == 81);
  CHECK(Names(web.depends_on) == Strings{"cache"});
  CHECK(Names(web.networks) == Strings{"back"});
}

TEST_CASE("load: !reset in an override file removes the base value", "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml",
            "services:\n  web:\n    image: web\n    environment: [A=1]\n"
            "    ports: ['80:80', '90:90']\n    depends_on: [db]\n  db:\n    image: db\n");
  files.Add("/w/compose.override.yaml",
            "services:\n  web:\n    environment: !reset []\n    ports: [!reset '82:82']\n"
            "    depends_on: !reset []\n");
  const Service web = Loaded(In("/w"), files).services.at("web");
  CHECK(web.environment.empty());
  CHECK(web.ports.size() == 2);
  CHECK(web.depends_on.empty());
}

TEST_CASE("load: env and label files of services disabled by profiles are not read",
          "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml",
            "services:\n  web:\n    image: web\n  debug:\n    image: d\n    profiles: [debug]\n"
            "    env_file: debug.env\n    label_file: debug.labels\n");
  Project p = Loaded(In("/w"), files);
  CHECK(Names(p.disabled_services) == Strings{"debug"});
  CHECK(p.disabled_services.at("debug").env_files.size() == 1);
  const Strings& reads = files.reads();
  CHECK(std::count(reads.begin(), reads.end(), "/w/debug.env") == 0);
  CHECK(std::count(reads.begin(), reads.end(), "/w/debug.labels") == 0);
}

TEST_CASE("load: a missing env file of a service a profile enables is an error",
          "[compose][load]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml",
            "services:\n  web:\n    image: web\n  debug:\n    image: d\n    profiles: [debug]\n"
            "    env_file: debug.env\n");
  CHECK(LoadError(In("/w", {{"COMPOSE_PROFILES", "debug"}}), files) ==
        "compose.yaml:7:15: services.debug.env_file[0]: env file /w/debug.env not found");
}

}  // namespace
}  // namespace baton::compose
