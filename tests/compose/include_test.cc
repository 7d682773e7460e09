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

const Node& Resource(const Node& root, const std::string& section, const std::string& name) {
  const Node* s = root.Find(section);
  REQUIRE(s != nullptr);
  const Node* r = s->Find(name);
  REQUIRE(r != nullptr);
  return *r;
}

TEST_CASE("include: resources of the included project are added", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: web\n");
  files.Add("/p/sub/compose.yaml",
            "services:\n  db:\n    image: db\n    volumes: ['./data:/data']\n"
            "volumes:\n  v: {}\nnetworks:\n  n: {}\n");
  auto root = LoadProject(files);
  if (!root.ok()) FAIL(root.error().ToString());
  CHECK(root->Find("include") == nullptr);
  CHECK(Text(Resource(*root, "services", "web"), "image") == "web");
  const Node& db = Resource(*root, "services", "db");
  CHECK(Text(db.Find("volumes")->items().at(0), "source") == "/p/sub/data");
  CHECK(root->Find("volumes")->Find("v") != nullptr);
  CHECK(root->Find("networks")->Find("n") != nullptr);
}

TEST_CASE("include: project_directory is where the included paths start", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "include:\n  - path: sub/compose.yaml\n    project_directory: other\n");
  files.Add("/p/sub/compose.yaml", "services:\n  db:\n    build: .\n");
  auto root = LoadProject(files);
  if (!root.ok()) FAIL(root.error().ToString());
  CHECK(Text(*Resource(*root, "services", "db").Find("build"), "context") == "/p/other");
}

TEST_CASE("include: the included env_file serves only the included project", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "include:\n  - path: sub/compose.yaml\n    env_file: custom.env\n"
            "services:\n  web:\n    image: web:${TAG:-none}\n");
  files.Add("/p/custom.env", "TAG=1.0\n");
  files.Add("/p/sub/compose.yaml", "services:\n  db:\n    image: db:${TAG}\n");
  auto root = LoadProject(files);
  if (!root.ok()) FAIL(root.error().ToString());
  CHECK(Text(Resource(*root, "services", "db"), "image") == "db:1.0");
  CHECK(Text(Resource(*root, "services", "web"), "image") == "web:none");
}

TEST_CASE("include: the included project's .env is read by default", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "include:\n  - sub/compose.yaml\n");
  files.Add("/p/sub/.env", "TAG=2.0\n");
  files.Add("/p/sub/compose.yaml", "services:\n  db:\n    image: db:${TAG}\n");
  auto root = LoadProject(files);
  if (!root.ok()) FAIL(root.error().ToString());
  CHECK(Text(Resource(*root, "services", "db"), "image") == "db:2.0");
}

TEST_CASE("include: the including project's variables win over the env file",
          "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "include:\n  - sub/compose.yaml\n");
  files.Add("/p/sub/.env", "TAG=2.0\n");
  files.Add("/p/sub/compose.yaml", "services:\n  db:\n    image: db:${TAG}\n");
  auto root = LoadProject(files, {{"TAG", "3.0"}});
  if (!root.ok()) FAIL(root.error().ToString());
  CHECK(Text(Resource(*root, "services", "db"), "image") == "db:3.0");
}

TEST_CASE("include: the including file's definition is merged over the included one",
          "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "include:\n  - sub/compose.yaml\n"
            "services:\n  db:\n    environment: !override {B: '2'}\n");
  files.Add("/p/sub/compose.yaml", "services:\n  db:\n    image: db\n    environment: {A: '1'}\n");
  auto root = LoadProject(files);
  if (!root.ok()) FAIL(root.error().ToString());
  const Node& db = Resource(*root, "services", "db");
  CHECK(Text(db, "image") == "db");
  CHECK(db.Find("environment")->entries().size() == 1);
  CHECK(Text(*db.Find("environment"), "B") == "2");
}

TEST_CASE("include: a service may extend an included service", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml",
            "include:\n  - sub/compose.yaml\nservices:\n  web:\n    extends: db\n");
  files.Add("/p/sub/compose.yaml", "services:\n  db:\n    image: db\n");
  auto root = LoadProject(files);
  if (!root.ok()) FAIL(root.error().ToString());
  CHECK(Text(Resource(*root, "services", "web"), "image") == "db");
}

TEST_CASE("include: a file including itself is a cycle", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "include:\n  - compose.yaml\n");
  CHECK(LoadError(files) ==
        "compose.yaml:2:5: include[0]: include cycle: compose.yaml -> compose.yaml");
}

TEST_CASE("include: a cycle through another file is named", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "include:\n  - a/compose.yaml\n");
  files.Add("/p/a/compose.yaml", "include:\n  - ../compose.yaml\n");
  CHECK(LoadError(files) ==
        "a/compose.yaml:2:5: include[0]: include cycle: compose.yaml -> "
        "a/compose.yaml -> compose.yaml");
}

TEST_CASE("include: remote includes are refused", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "include:\n  - oci://docker.io/app/compose:1\n");
  CHECK(LoadError(files) ==
        "compose.yaml:2:5: include[0].path[0]: remote includes are not "
        "supported: oci://docker.io/app/compose:1");
}

TEST_CASE("include: a missing included file is located", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "include:\n  - path: gone.yaml\n");
  CHECK(LoadError(files) == "compose.yaml:2:11: include[0].path[0]: no such file: gone.yaml");
}

TEST_CASE("include: a missing env file is located", "[compose][include]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "include:\n  - path: sub.yaml\n    env_file: gone.env\n");
  files.Add("/p/sub.yaml", "services: {}\n");
  CHECK(LoadError(files) ==
        "compose.yaml:3:15: include[0].env_file[0]: env file not found: gone.env");
}

// --- compose-go's fixtures --------------------------------------------------

TEST_CASE("include: compose-go project_directory fixture", "[compose][include]") {
  if (!HaveLoaderFixtures()) return;
  auto root = LoadFixture(kLoaderFixtures / "include" / "project-directory.yaml");
  if (!root.ok()) FAIL(root.error().ToString());
  const std::string subdir = fs::canonical(kLoaderFixtures / "subdir").string();
  const Node& service = Resource(*root, "services", "service");
  CHECK(Text(*service.Find("build"), "context") == subdir);
  CHECK(Text(service.Find("volumes")->items().at(0), "source") ==
        subdir + "/compose-test-extends-imported.yaml");
  CHECK(Text(service.Find("env_file")->items().at(0), "path") == subdir + "/extra.env");
}

TEST_CASE("include: compose-go include with extends fixture", "[compose][include]") {
  if (!HaveLoaderFixtures()) return;
  auto root = LoadFixture(kLoaderFixtures / "combined" / "compose.yaml");
  if (!root.ok()) FAIL(root.error().ToString());
  CHECK(Text(*Resource(*root, "services", "service").Find("build"), "context") ==
        fs::canonical(kLoaderFixtures / "combined" / "dir").string());
}

TEST_CASE("include: compose-go include cycle fixture", "[compose][include]") {
  if (!HaveLoaderFixtures()) return;
  auto root = LoadFixture(kLoaderFixtures / "compose-include-cycle.yaml");
  REQUIRE_FALSE(root.ok());
  CHECK(root.error().ToString() ==
        "compose-include-cycle.yaml:2:5: include[0]: include cycle: "
        "compose-include-cycle.yaml -> compose-include-cycle.yaml");
}

}  // namespace
}  // namespace baton::compose
