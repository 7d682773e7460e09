#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/compose/loader_fixture.h"
#include "tests/compose/node_fixture.h"

namespace baton::compose {
namespace {

namespace fs = std::filesystem;
using testing::HaveLoaderFixtures;
using testing::LoadError;
using testing::LoadFixture;
using testing::LoadProject;
using testing::MemoryFileSystem;
using testing::Text;
using testing::kLoaderFixtures;

const Node& ServiceOf(const Node& root, const std::string& name) {
  const Node* service = root.Find("services")->Find(name);
  REQUIRE(service != nullptr);
  return *service;
}

TEST_CASE("extends: a service is merged over a service of the same file", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  base:\n    image: base\n    command: [a, b]\n"
            "  web:\n    extends: base\n    command: [c]\n    hostname: web\n");
  auto root = LoadProject(files);
  REQUIRE(root.ok());
  const Node& web = ServiceOf(*root, "web");
  CHECK(Text(web, "image") == "base");
  CHECK(Text(web, "hostname") == "web");
  CHECK(web.Find("command")->items().size() == 1);
  CHECK(web.Find("extends") == nullptr);
}

TEST_CASE("extends: chains are followed across files", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  web:\n    extends:\n      file: sub/base.yaml\n      service: mid\n");
  files.Add("/p/sub/base.yaml",
            "services:\n  mid:\n    extends: root\n    hostname: mid\n"
            "  root:\n    build: ./ctx\n    image: root\n");
  auto root = LoadProject(files);
  REQUIRE(root.ok());
  const Node& web = ServiceOf(*root, "web");
  CHECK(Text(web, "image") == "root");
  CHECK(Text(web, "hostname") == "mid");
  CHECK(Text(*web.Find("build"), "context") == "/p/sub/ctx");
}

TEST_CASE("extends: unrelated services of another file are not checked", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  web:\n    extends:\n      file: base.yaml\n      service: good\n");
  files.Add("/p/base.yaml", "services:\n  good:\n    image: a\n  bad:\n    imag: typo\n");
  CHECK(LoadError(files) == "loaded");
}

TEST_CASE("extends: an empty base service adds nothing", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  web:\n    image: a\n    extends:\n      file: base.yaml\n"
            "      service: nil\n");
  files.Add("/p/base.yaml", "services:\n  nil:\n");
  auto root = LoadProject(files);
  REQUIRE(root.ok());
  CHECK(Text(ServiceOf(*root, "web"), "image") == "a");
}

TEST_CASE("extends: the extended file is interpolated with the project's variables",
          "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "services:\n  web:\n    extends: {file: base.yaml, service: b}\n");
  files.Add("/p/base.yaml", "services:\n  b:\n    image: app:${TAG:-latest}\n");
  auto root = LoadProject(files, {{"TAG", "1.2"}});
  REQUIRE(root.ok());
  CHECK(Text(ServiceOf(*root, "web"), "image") == "app:1.2");
}

TEST_CASE("extends: a reset key of the extending service drops the base value",
          "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  init:\n    image: alpine\n    command: sleep infinity\n"
            "  web:\n    extends: init\n    command: !reset\n");
  auto root = LoadProject(files);
  REQUIRE(root.ok());
  CHECK(ServiceOf(*root, "web").Find("command") == nullptr);
}

TEST_CASE("extends: override replaces the base's depends_on", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add(
      "/p/compose.yaml",
      "services:\n  a:\n    image: a\n    depends_on: [c]\n"
      "  b:\n    extends: a\n    depends_on: !override\n      a: {condition: service_started}\n"
      "  c:\n    image: c\n");
  auto root = LoadProject(files);
  REQUIRE(root.ok());
  const Node* depends = ServiceOf(*root, "b").Find("depends_on");
  REQUIRE(depends != nullptr);
  CHECK(depends->entries().size() == 1);
  CHECK(depends->Find("a") != nullptr);
}

TEST_CASE("extends: ports of both services merge by key", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  base:\n    image: a\n    ports: ['8080:80']\n"
            "  web:\n    extends: base\n    ports: ['8080:80', '9090:90']\n");
  auto root = LoadProject(files);
  REQUIRE(root.ok());
  CHECK(ServiceOf(*root, "web").Find("ports")->items().size() == 2);
}

TEST_CASE("extends: a missing service of the same file is located", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "services:\n  web:\n    extends: nothere\n");
  CHECK(LoadError(files) ==
        "compose.yaml:3:14: services.web.extends: service \"nothere\" not found");
}

TEST_CASE("extends: a missing service of another file is located", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  web:\n    extends:\n      file: base.yaml\n      service: nothere\n");
  files.Add("/p/base.yaml", "services:\n  b:\n    image: b\n");
  CHECK(LoadError(files) ==
        "compose.yaml:4:7: services.web.extends: service \"nothere\" not found in base.yaml");
}

TEST_CASE("extends: a missing file is located", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  web:\n    extends:\n      file: gone.yaml\n      service: b\n");
  CHECK(LoadError(files) ==
        "compose.yaml:4:13: services.web.extends.file: gone.yaml: no such file");
}

TEST_CASE("extends: a remote file is refused", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "services:\n  web:\n    extends:\n"
            "      file: https://github.com/docker/compose.git\n      service: b\n");
  CHECK(LoadError(files) ==
        "compose.yaml:4:13: services.web.extends.file: remote extends files are not supported: "
        "https://github.com/docker/compose.git");
}

TEST_CASE("extends: a cycle in one file is rejected naming it", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "services:\n  a:\n    extends: b\n  b:\n    extends: a\n");
  CHECK(LoadError(files) ==
        "compose.yaml:5:14: services.b.extends: extends cycle: a (compose.yaml) "
        "-> b (compose.yaml) -> a (compose.yaml)");
}

TEST_CASE("extends: a service extending itself is a cycle", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "services:\n  a:\n    extends: a\n");
  CHECK(
      LoadError(files) ==
      "compose.yaml:3:14: services.a.extends: extends cycle: a (compose.yaml) -> a (compose.yaml)");
}

TEST_CASE("extends: a cycle across files is rejected naming it", "[compose][extends]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "services:\n  a:\n    extends: {file: other.yaml, service: b}\n");
  files.Add("/p/other.yaml", "services:\n  b:\n    extends: {file: compose.yaml, service: a}\n");
  CHECK(LoadError(files) ==
        "other.yaml:3:14: services.b.extends: extends cycle: a (compose.yaml) "
        "-> b (other.yaml) -> a (compose.yaml)");
}

// --- compose-go's fixtures --------------------------------------------------

TEST_CASE("extends: compose-go nested directories resolve against each file",
          "[compose][extends]") {
  if (!HaveLoaderFixtures()) return;
  auto root = LoadFixture(kLoaderFixtures / "extends" / "withdir" / "compose.yaml");
  if (!root.ok()) FAIL(root.error().ToString());
  CHECK(Text(ServiceOf(*root, "test"), "image") == "hello-world");
}

TEST_CASE("extends: compose-go relative build context of an extended file", "[compose][extends]") {
  if (!HaveLoaderFixtures()) return;
  auto root = LoadFixture(kLoaderFixtures / "extends" / "nested.yaml");
  if (!root.ok()) FAIL(root.error().ToString());
  const Node* build = ServiceOf(*root, "with-build").Find("build");
  REQUIRE(build != nullptr);
  CHECK(Text(*build, "context") == fs::canonical(kLoaderFixtures / "extends").string());
}

TEST_CASE("extends: compose-go extended env_file stays relative to its file",
          "[compose][extends]") {
  if (!HaveLoaderFixtures()) return;
  auto root = LoadFixture(kLoaderFixtures / "compose-test-extends.yaml");
  if (!root.ok()) FAIL(root.error().ToString());
  const Node& importer = ServiceOf(*root, "importer");
  CHECK(Text(importer, "image") == "nginx");
  const Node* env_file = importer.Find("env_file");
  REQUIRE(env_file != nullptr);
  CHECK(Text(env_file->items().at(0), "path") ==
        fs::canonical(kLoaderFixtures / "subdir" / "extra.env").string());
}

TEST_CASE("extends: compose-go reset in an extended file", "[compose][extends]") {
  if (!HaveLoaderFixtures()) return;
  auto root = LoadFixture(kLoaderFixtures / "extends" / "reset.yaml");
  if (!root.ok()) FAIL(root.error().ToString());
  CHECK(ServiceOf(*root, "base").Find("command") == nullptr);
  CHECK(Text(ServiceOf(*root, "base"), "image") == "alpine:latest");
}

}  // namespace
}  // namespace baton::compose
