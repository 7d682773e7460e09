#include <catch2/catch.hpp>
#include <array>
#include <span>
#include <string>

#include "runtime/content/project_content.h"
#include "tests/base/tar_reader.h"
#include "tests/content/project_fixture.h"

namespace baton::content {
namespace {

using testing::Lines;
using testing::ProjectDir;

// The whole stream, read in small pieces as a BodyReader would.
std::string ReadAll(runtime::TarSource& source) {
  std::string out;
  std::array<char, 700> buffer{};
  for (;;) {
    Result<size_t> n = source.Read(std::span<char>(buffer));
    if (!n.ok()) FAIL("read: " << n.error().ToString());
    if (*n == 0) return out;
    out.append(buffer.data(), *n);
  }
}

const char kProject[] =
    "services:\n  web:\n    build: ./web\n    volumes: ['./nginx/nginx.conf:/n.conf:ro']\n"
    "    secrets: [token]\n"
    "secrets:\n  token:\n    environment: TOKEN\n";

TEST_CASE("content source: a copy streams as a tar with its one file", "[content][source]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(kProject, {{"TOKEN", "t-1"}});
  REQUIRE(Lines(content.errors).empty());
  auto source = MakeContentSource(content);
  auto tar = source->OpenCopy(content.digests.at("web").copies.at(0).digest);
  REQUIRE(tar.ok());
  std::string bytes = ReadAll(**tar);
  CHECK(bytes.size() == (*tar)->size());
  CHECK((*tar)->Verify().ok());
  std::vector<baton::testing::TarEntry> entries = baton::testing::ReadTar(bytes);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == "nginx.conf");
  CHECK(entries[0].content == "worker_processes 1;\n");
}

TEST_CASE("content source: a build context streams without ignored files",
          "[content][source]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(kProject, {{"TOKEN", "t-1"}});
  auto source = MakeContentSource(content);
  auto tar = source->OpenBuildContext("web");
  REQUIRE(tar.ok());
  std::string names;
  for (const auto& entry : baton::testing::ReadTar(ReadAll(**tar))) names += entry.name + " ";
  CHECK(names.find("keep.tmp") != std::string::npos);
  CHECK(names.find("drop.tmp") == std::string::npos);
  CHECK(names.find("node_modules") == std::string::npos);
  CHECK((*tar)->Verify().ok());
  auto request = source->BuildRequestOf("web");
  REQUIRE(request.ok());
  CHECK(request->dockerfile == "Dockerfile");
}

TEST_CASE("content source: a copy edited after the plan fails Verify", "[content][source]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(kProject, {{"TOKEN", "t-1"}});
  auto source = MakeContentSource(content);
  dir.Write("nginx/nginx.conf", "worker_processes 2;\n");
  auto tar = source->OpenCopy(content.digests.at("web").copies.at(0).digest);
  REQUIRE(tar.ok());
  ReadAll(**tar);
  Status verified = (*tar)->Verify();
  REQUIRE_FALSE(verified.ok());
  CHECK(verified.error().kind == Error::Kind::kConflict);
}

TEST_CASE("content source: secret values are served by key", "[content][source]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(kProject, {{"TOKEN", "t-1"}});
  auto source = MakeContentSource(content);
  auto value = source->SecretValue("token");
  REQUIRE(value.ok());
  CHECK(*value == "t-1");
  auto missing = source->SecretValue("other");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().ToString() == "secret \"other\" was not read");
}

TEST_CASE("content source: unknown digests and services are not found", "[content][source]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(kProject, {{"TOKEN", "t-1"}});
  auto source = MakeContentSource(content);
  auto copy = source->OpenCopy(std::string(64, '0'));
  REQUIRE_FALSE(copy.ok());
  CHECK(copy.error().ToString() == "no project files with digest 0000000000000000");
  auto build = source->BuildRequestOf("api");
  REQUIRE_FALSE(build.ok());
  CHECK(build.error().ToString() == "api has no build");
}

TEST_CASE("content source: a remote build context has an empty body", "[content][source]") {
  ProjectDir dir;
  ProjectContent content =
      dir.Read("services:\n  web:\n    build: https://github.com/example/web.git\n");
  auto source = MakeContentSource(content);
  auto tar = source->OpenBuildContext("web");
  REQUIRE(tar.ok());
  CHECK(ReadAll(**tar).empty());
  CHECK(source->BuildRequestOf("web")->remote == "https://github.com/example/web.git");
}

}  // namespace
}  // namespace baton::content
