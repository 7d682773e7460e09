#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>

#include "runtime/content/copies.h"
#include "tests/content/project_fixture.h"

namespace baton::content {
namespace {

using testing::Lines;
using testing::ProjectDir;

const planner::FileCopyUse& OnlyCopy(const ProjectContent& content, const std::string& service) {
  const planner::ServiceContent& use = content.digests.at(service);
  REQUIRE(use.copies.size() == 1);
  return use.copies.front();
}

TEST_CASE("copies: a project file bind is a one-entry copy named after it", "[content][copies]") {
  ProjectDir dir;
  ProjectContent content =
      dir.Read("services:\n  web:\n    image: nginx\n    volumes:\n"
               "      - ./nginx/nginx.conf:/etc/nginx/nginx.conf:ro\n");
  REQUIRE(Lines(content.errors).empty());
  CHECK(Lines(content.notes).empty());
  const planner::FileCopyUse& copy = OnlyCopy(content, "web");
  CHECK(copy.subpath == "nginx.conf");
  CHECK(copy.target == "/etc/nginx/nginx.conf");
  CHECK(copy.read_only);
  CHECK_FALSE(copy.config);
  CHECK(copy.label == "./nginx/nginx.conf");
  CHECK(copy.files == 1);
  CHECK(copy.bytes == 20);
  const Tree& tree = content.copies.at(copy.digest);
  REQUIRE(tree.entries.size() == 1);
  CHECK(tree.entries[0].path == "nginx.conf");
}

TEST_CASE("copies: a writable project folder bind is copied whole, with a note",
          "[content][copies]") {
  ProjectDir dir;
  ProjectContent content =
      dir.Read("services:\n  web:\n    image: nginx\n    volumes:\n      - ./site:/srv/site\n");
  REQUIRE(Lines(content.errors).empty());
  const planner::FileCopyUse& copy = OnlyCopy(content, "web");
  CHECK(copy.subpath == "");
  CHECK_FALSE(copy.read_only);
  CHECK(content.copies.at(copy.digest).entries.size() == 2);
  CHECK(Lines(content.notes) ==
        "services.web.volumes[0]: ./site is copied to each host; writes there stay on that host "
        "and are lost when ./site changes or on down\n");
}

TEST_CASE("copies: a missing short-syntax source is an empty folder", "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  db:\n    image: postgres\n    volumes:\n      - ./data:/var/lib/data:ro\n");
  REQUIRE(Lines(content.errors).empty());
  const planner::FileCopyUse& copy = OnlyCopy(content, "db");
  const Tree& tree = content.copies.at(copy.digest);
  REQUIRE(tree.entries.size() == 1);
  CHECK(tree.entries[0].type == TreeEntry::Type::kDirectory);
  CHECK(tree.entries[0].path == "");
  CHECK(copy.subpath == "");
}

TEST_CASE("copies: a missing long-syntax source without create_host_path is located",
          "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  db:\n    image: postgres\n    volumes:\n"
      "      - {type: bind, source: ./data, target: /data, bind: {create_host_path: false}}\n");
  CHECK(Lines(content.errors) ==
        "compose.yaml:5:9: services.db.volumes[0]: bind source ./data does not exist "
        "(create_host_path: false)\n");
  CHECK(content.digests.count("db") == 0);
}

TEST_CASE("copies: a source outside the project is a path on the hosts", "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  traefik:\n    image: traefik\n    volumes:\n"
      "      - /var/run/docker.sock:/var/run/docker.sock\n");
  REQUIRE(Lines(content.errors).empty());
  const planner::ServiceContent& use = content.digests.at("traefik");
  CHECK(use.copies.empty());
  CHECK(use.host_paths == std::vector<std::string>{"/var/run/docker.sock"});
  CHECK(Lines(content.notes) ==
        "services.traefik.volumes[0]: /var/run/docker.sock is a path on each host that runs "
        "traefik\n");
}

TEST_CASE("copies: a file's mode is part of the copy digest", "[content][copies]") {
  ProjectDir dir;
  const char yaml[] =
      "services:\n  web:\n    image: nginx\n    volumes: ['./nginx/nginx.conf:/etc/n.conf:ro']\n";
  std::string before = OnlyCopy(dir.Read(yaml), "web").digest;
  REQUIRE(chmod(dir.Abs("nginx/nginx.conf").c_str(), 0600) == 0);
  CHECK(OnlyCopy(dir.Read(yaml), "web").digest != before);
}

TEST_CASE("copies: two services binding one file share its copy", "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  a:\n    image: nginx\n    volumes: ['./nginx/nginx.conf:/x:ro']\n"
      "  b:\n    image: nginx\n    volumes: ['./nginx/nginx.conf:/y:ro']\n");
  CHECK(OnlyCopy(content, "a").digest == OnlyCopy(content, "b").digest);
  CHECK(content.copies.size() == 1);
}

TEST_CASE("copies: a fifo in a bound folder is left out with a note", "[content][copies]") {
  ProjectDir dir;
  REQUIRE(mkfifo(dir.Abs("site/pipe").c_str(), 0600) == 0);
  ProjectContent content =
      dir.Read("services:\n  web:\n    image: nginx\n    volumes: ['./site:/srv:ro']\n");
  REQUIRE(Lines(content.errors).empty());
  CHECK(Lines(content.notes) ==
        "compose.yaml:4:15: services.web.volumes[0]: ./site/pipe is not a file, folder or "
        "symlink and is not copied\n");
}

TEST_CASE("copies: a file config defaults to /<key>, root-owned, mode 0444", "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    image: nginx\n    configs: [app-config]\n"
      "configs:\n  app-config:\n    file: ./config/app.ini\n");
  REQUIRE(Lines(content.errors).empty());
  const planner::FileCopyUse& copy = OnlyCopy(content, "web");
  CHECK(copy.target == "/app-config");
  CHECK(copy.subpath == "config");
  CHECK(copy.read_only);
  CHECK(copy.config);
  CHECK(copy.label == "config app-config");
  const Tree& tree = content.copies.at(copy.digest);
  REQUIRE(tree.entries.size() == 1);
  CHECK(tree.entries[0].path == "config");
  CHECK(tree.entries[0].mode == 0444);
  CHECK(tree.entries[0].uid == 0);
  CHECK(tree.entries[0].gid == 0);
  CHECK(tree.entries[0].source == dir.Abs("config/app.ini"));
}

TEST_CASE("copies: a content config takes the use's target, owner and mode", "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    image: nginx\n    configs:\n"
      "      - {source: motd, target: etc/motd, uid: '1000', gid: '100', mode: 0440}\n"
      "configs:\n  motd:\n    content: welcome to ${COMPOSE_PROJECT_NAME}\n");
  REQUIRE(Lines(content.errors).empty());
  const planner::FileCopyUse& copy = OnlyCopy(content, "web");
  CHECK(copy.target == "/etc/motd");
  const TreeEntry& entry = content.copies.at(copy.digest).entries.at(0);
  CHECK(entry.generated == "welcome to shop");
  CHECK(entry.uid == 1000);
  CHECK(entry.gid == 100);
  CHECK(entry.mode == 0440);
}

TEST_CASE("copies: one config with two modes makes two copies", "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  a:\n    image: nginx\n    configs: [motd]\n"
      "  b:\n    image: nginx\n    configs: [{source: motd, mode: 0400}]\n"
      "configs:\n  motd:\n    content: hi\n");
  CHECK(OnlyCopy(content, "a").digest != OnlyCopy(content, "b").digest);
}

TEST_CASE("copies: an environment config reads the variable", "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    image: nginx\n    configs: [flags]\n"
      "configs:\n  flags:\n    environment: FLAGS\n",
      {{"FLAGS", "beta=1"}});
  REQUIRE(Lines(content.errors).empty());
  const planner::FileCopyUse& copy = OnlyCopy(content, "web");
  CHECK(content.copies.at(copy.digest).entries.at(0).generated == "beta=1");
}

TEST_CASE("copies: config problems are located at the top-level config, once",
          "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  a:\n    image: nginx\n    configs: [flags, gone, shared]\n"
      "  b:\n    image: nginx\n    configs: [flags]\n"
      "configs:\n  flags:\n    environment: FLAGS\n  gone:\n    file: ./config/gone.ini\n"
      "  shared:\n    external: true\n");
  CHECK(Lines(content.errors) ==
        "compose.yaml:9:3: configs.flags.environment: environment variable \"FLAGS\" required "
        "by config \"flags\" is not set\n"
        "compose.yaml:11:3: configs.gone.file: file ./config/gone.ini required by config "
        "\"gone\" does not exist\n"
        "compose.yaml:13:3: configs.shared.external: config \"shared\" is external; baton reads "
        "configs from a file, an environment variable or content\n");
}

TEST_CASE("copies: a uid that is not a number is located at the use", "[content][copies]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    image: nginx\n    configs:\n      - {source: motd, uid: www}\n"
      "configs:\n  motd:\n    content: hi\n");
  CHECK(Lines(content.errors) ==
        "compose.yaml:5:9: services.web.configs[0]: uid \"www\" is not a number\n");
}

}  // namespace
}  // namespace baton::content
