#include <catch2/catch.hpp>
#include <string>

#include "runtime/content/project_content.h"
#include "tests/content/project_fixture.h"

namespace baton::content {
namespace {

using testing::Lines;
using testing::ProjectDir;

TEST_CASE("project content: problems of every service are listed at once",
          "[content][project]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    build: ./nope\n    volumes: ['./nginx/nginx.conf:/n.conf:ro']\n"
      "  api:\n    image: api\n    secrets: [token]\n"
      "  db:\n    image: db\n"
      "    volumes: [{type: bind, source: ./db, target: /db}]\n"
      "secrets:\n  token:\n    file: ./token.txt\n");
  CHECK(Lines(content.errors) ==
        "compose.yaml:12:3: secrets.token.file: file ./token.txt required by secret \"token\" "
        "does not exist\n"
        "compose.yaml:10:15: services.db.volumes[0]: bind source ./db does not exist "
        "(create_host_path: false)\n"
        "compose.yaml:3:5: services.web.build: build context ./nope does not exist\n");
  // What could be read is still there.
  CHECK(content.digests.at("web").copies.size() == 1);
}

TEST_CASE("project content: a service with nothing local has no entry", "[content][project]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    build: ./web\n  cache:\n    image: redis\n"
      "    volumes: [data:/data]\nvolumes:\n  data: {}\n");
  REQUIRE(Lines(content.errors).empty());
  CHECK(content.digests.count("web") == 1);
  CHECK(content.digests.count("cache") == 0);
}

TEST_CASE("project content: copies come in the order of volumes, then configs",
          "[content][project]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    image: nginx\n    configs: [motd]\n"
      "    volumes: ['./site:/srv:ro', './nginx/nginx.conf:/n.conf:ro']\n"
      "configs:\n  motd:\n    content: hi\n");
  const std::vector<planner::FileCopyUse>& copies = content.digests.at("web").copies;
  REQUIRE(copies.size() == 3);
  CHECK(copies[0].label == "./site");
  CHECK(copies[1].label == "./nginx/nginx.conf");
  CHECK(copies[2].label == "config motd");
}

TEST_CASE("project content: services disabled by profiles are not read", "[content][project]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    image: nginx\n"
      "  tools:\n    profiles: [debug]\n    build: ./nope\n");
  CHECK(content.errors.empty());
  CHECK(content.digests.empty());
}

}  // namespace
}  // namespace baton::content
