#include <catch2/catch.hpp>
#include <algorithm>
#include <string>

#include "base/sha256.h"
#include "runtime/content/build_context.h"
#include "tests/content/project_fixture.h"

namespace baton::content {
namespace {

using testing::Lines;
using testing::ProjectDir;

const char kWeb[] = "services:\n  web:\n    build: ./web\n";

std::vector<std::string> Paths(const Tree& tree) {
  std::vector<std::string> paths;
  for (const TreeEntry& entry : tree.entries) paths.push_back(entry.path);
  return paths;
}

const TreeEntry* Find(const Tree& tree, const std::string& path) {
  for (const TreeEntry& entry : tree.entries)
    if (entry.path == path) return &entry;
  return nullptr;
}

TEST_CASE("build: the context is filtered by its .dockerignore", "[content][build]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(kWeb);
  REQUIRE(Lines(content.errors).empty());
  const BuildContext& build = content.builds.at("web");
  CHECK(Paths(build.tree) == std::vector<std::string>{"", ".dockerignore", "Dockerfile",
                                                      "Dockerfile.prod",
                                                      "Dockerfile.prod.dockerignore",
                                                      "index.html", "keep.tmp"});
  CHECK(build.request.dockerfile == "Dockerfile");
  CHECK(build.request.remote.empty());
}

TEST_CASE("build: digest tag and label name the image and the context", "[content][build]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(kWeb);
  const planner::BuildUse& use = *content.digests.at("web").build;
  CHECK(use.digest.size() == 64);
  CHECK(use.digest == BuildDigest(content.builds.at("web").digest,
                                  content.builds.at("web").request));
  CHECK(use.image == "shop-web");
  CHECK(use.tag == "shop-web:baton-" + use.digest.substr(0, 12));
  // Dockerfile 36 + .dockerignore 29 + Dockerfile.prod 44 + its ignore 11 +
  // index.html 14 + keep.tmp 5 bytes.
  CHECK(use.label == "./web, 6 files, 139 B");
}

TEST_CASE("build: image: names the repository of the digest tag", "[content][build]") {
  ProjectDir dir;
  ProjectContent content =
      dir.Read("services:\n  web:\n    image: reg:5000/team/web:v2\n    build: ./web\n");
  const planner::BuildUse& use = *content.digests.at("web").build;
  CHECK(use.image == "reg:5000/team/web:v2");
  CHECK(use.tag == "reg:5000/team/web:baton-" + use.digest.substr(0, 12));
}

TEST_CASE("build: the tag drops a tag or digest but keeps a registry port", "[content][build]") {
  const std::string k = "0123456789abcdef";
  CHECK(DigestTag("reg:5000/app:v2", k) == "reg:5000/app:baton-0123456789ab");
  CHECK(DigestTag("reg:5000/app", k) == "reg:5000/app:baton-0123456789ab");
  CHECK(DigestTag("app@sha256:ffff", k) == "app:baton-0123456789ab");
  CHECK(DigestTag("shop-web", k) == "shop-web:baton-0123456789ab");
}

TEST_CASE("build: an ignored file's edit keeps the digest, a sent file's changes it",
          "[content][build]") {
  ProjectDir dir;
  std::string before = dir.Read(kWeb).digests.at("web").build->digest;
  dir.Write("web/drop.tmp", "edited\n");
  dir.Write("web/node_modules/y.js", "new\n");
  CHECK(dir.Read(kWeb).digests.at("web").build->digest == before);
  dir.Write("web/index.html", "<h1>edited</h1>\n");
  CHECK(dir.Read(kWeb).digests.at("web").build->digest != before);
}

TEST_CASE("build: editing .dockerignore changes the digest", "[content][build]") {
  ProjectDir dir;
  std::string before = dir.Read(kWeb).digests.at("web").build->digest;
  dir.Write("web/.dockerignore", "*.tmp\nnode_modules\n");
  ProjectContent after = dir.Read(kWeb);
  CHECK(after.digests.at("web").build->digest != before);
  CHECK(Find(after.builds.at("web").tree, "keep.tmp") == nullptr);
}

TEST_CASE("build: args and options enter the digest", "[content][build]") {
  ProjectDir dir;
  auto digest = [&](const std::string& options) {
    return dir.Read("services:\n  web:\n    build:\n      context: ./web\n" + options)
        .digests.at("web")
        .build->digest;
  };
  std::string plain = digest("");
  CHECK(digest("      args: {GREETING: hello}\n") != plain);
  CHECK(digest("      args: {GREETING: hello}\n") != digest("      args: {GREETING: bye}\n"));
  CHECK(digest("      target: prod\n") != plain);
  CHECK(digest("      no_cache: true\n") != plain);
  CHECK(digest("      labels: {team: a}\n") != plain);
}

TEST_CASE("build: the request carries the options the engine takes", "[content][build]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    build:\n      context: ./web\n      args: {A: one, B: two}\n"
      "      target: prod\n      network: host\n      extra_hosts: ['db=10.0.0.5', 'v6=::1']\n"
      "      shm_size: 64m\n      cache_from: [shop-web:cache]\n      no_cache: true\n"
      "      pull: true\n      labels: {team: a}\n");
  REQUIRE(Lines(content.errors).empty());
  const runtime::BuildRequest& request = content.builds.at("web").request;
  CHECK(request.args == std::map<std::string, std::string>{{"A", "one"}, {"B", "two"}});
  CHECK(request.target == "prod");
  CHECK(request.network == "host");
  CHECK(request.extra_hosts == std::vector<std::string>{"db:10.0.0.5", "v6:::1"});
  CHECK(request.shm_size == 64 * 1024 * 1024);
  CHECK(request.cache_from == std::vector<std::string>{"shop-web:cache"});
  CHECK(request.no_cache);
  CHECK(request.pull);
  CHECK(request.labels == std::map<std::string, std::string>{{"team", "a"}});
}

TEST_CASE("build: dockerfile_inline is sent as a generated entry", "[content][build]") {
  ProjectDir dir;
  const std::string text = "FROM baton/busybox:lab\nRUN true\n";
  ProjectContent content = dir.Read(
      "services:\n  web:\n    build:\n      context: ./web\n      dockerfile_inline: |\n"
      "        FROM baton/busybox:lab\n        RUN true\n");
  REQUIRE(Lines(content.errors).empty());
  const BuildContext& build = content.builds.at("web");
  const std::string name = ".baton-dockerfile-" + Sha256Hex(text).substr(0, 12);
  CHECK(build.request.dockerfile == name);
  const TreeEntry* entry = Find(build.tree, name);
  REQUIRE(entry);
  CHECK(entry->generated == text);
  CHECK(std::is_sorted(build.tree.entries.begin(), build.tree.entries.end(),
                       [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; }));
}

TEST_CASE("build: a Dockerfile outside the context is sent as a generated entry",
          "[content][build]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    build:\n      context: ./web\n"
      "      dockerfile: ../docker/Dockerfile.outside\n");
  REQUIRE(Lines(content.errors).empty());
  const BuildContext& build = content.builds.at("web");
  const std::string text = "FROM baton/busybox:lab\nRUN true\n";
  CHECK(build.request.dockerfile == ".baton-dockerfile-" + Sha256Hex(text).substr(0, 12));
  const TreeEntry* entry = Find(build.tree, build.request.dockerfile);
  REQUIRE(entry);
  CHECK(entry->generated == text);
}

TEST_CASE("build: <Dockerfile>.dockerignore beside the Dockerfile wins", "[content][build]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    build:\n      context: ./web\n      dockerfile: Dockerfile.prod\n");
  REQUIRE(Lines(content.errors).empty());
  const BuildContext& build = content.builds.at("web");
  CHECK(build.request.dockerfile == "Dockerfile.prod");
  // Its rule drops index.html only: the context's own rules do not apply.
  CHECK(Find(build.tree, "index.html") == nullptr);
  CHECK(Find(build.tree, "drop.tmp") != nullptr);
  CHECK(Find(build.tree, "Dockerfile.prod.dockerignore") != nullptr);
}

TEST_CASE("build: the Dockerfile and .dockerignore are sent even when ignored",
          "[content][build]") {
  ProjectDir dir;
  dir.Write("web/.dockerignore", "Dockerfile\n.dockerignore\n*.tmp\n");
  ProjectContent content = dir.Read(kWeb);
  REQUIRE(Lines(content.errors).empty());
  const BuildContext& build = content.builds.at("web");
  CHECK(Find(build.tree, "Dockerfile") != nullptr);
  CHECK(Find(build.tree, ".dockerignore") != nullptr);
  CHECK(Find(build.tree, "keep.tmp") == nullptr);
}

TEST_CASE("build: a Dockerfile in an ignored folder is still sent", "[content][build]") {
  ProjectDir dir;
  dir.Write("web/ops/Dockerfile", "FROM baton/busybox:lab\n");
  dir.Write("web/ops/secret.key", "k\n");
  dir.Write("web/.dockerignore", "ops\n");
  ProjectContent content = dir.Read(
      "services:\n  web:\n    build:\n      context: ./web\n      dockerfile: ops/Dockerfile\n");
  REQUIRE(Lines(content.errors).empty());
  const BuildContext& build = content.builds.at("web");
  CHECK(build.request.dockerfile == "ops/Dockerfile");
  CHECK(Find(build.tree, "ops/Dockerfile") != nullptr);
  CHECK(Find(build.tree, "ops/secret.key") == nullptr);
}

TEST_CASE("build: a missing context is located", "[content][build]") {
  ProjectDir dir;
  ProjectContent content = dir.Read("services:\n  web:\n    build: ./nope\n");
  CHECK(Lines(content.errors) ==
        "compose.yaml:3:5: services.web.build: build context ./nope does not exist\n");
  CHECK(content.digests.count("web") == 0);
  CHECK(content.builds.count("web") == 0);
}

TEST_CASE("build: a missing Dockerfile is located", "[content][build]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    build:\n      context: ./site\n      dockerfile: Dockerfile.dev\n");
  CHECK(Lines(content.errors) ==
        "compose.yaml:3:5: services.web.build: dockerfile ./site/Dockerfile.dev does not exist\n");
}

TEST_CASE("build: a bad .dockerignore is located", "[content][build]") {
  ProjectDir dir;
  dir.Write("web/.dockerignore", "*.tmp\n!\n");
  ProjectContent content = dir.Read(kWeb);
  REQUIRE(content.errors.size() == 1);
  CHECK(content.errors[0].starts_with(
      "compose.yaml:3:5: services.web.build: ./web/.dockerignore:2: "));
}

TEST_CASE("build: what the classic builder cannot do is refused, all at once",
          "[content][build]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    build:\n      context: ./web\n      secrets: [token]\n"
      "      ssh: [default]\n      cache_to: [type=local,dest=/tmp/c]\n"
      "      additional_contexts: {base: ./site}\n      platforms: [linux/amd64, linux/arm64]\n"
      "secrets:\n  token:\n    environment: TOKEN\n",
      {{"TOKEN", "t"}});
  CHECK(Lines(content.errors) ==
        "compose.yaml:5:17: services.web.build.secrets: baton builds with the classic builder, "
        "which has no build secrets\n"
        "compose.yaml:3:5: services.web.build.ssh: baton builds with the classic builder, which "
        "has no ssh forwarding\n"
        "compose.yaml:3:5: services.web.build.cache_to: baton builds with the classic builder, "
        "which cannot export a cache\n"
        "compose.yaml:3:5: services.web.build.additional_contexts: baton builds with the classic "
        "builder, which has no additional contexts\n"
        "compose.yaml:3:5: services.web.build.platforms: baton builds each service once, for one "
        "platform; 2 are listed\n");
  CHECK(content.digests.count("web") == 0);
}

TEST_CASE("build: a git context is digested by its URL", "[content][build]") {
  ProjectDir dir;
  const char yaml[] = "services:\n  web:\n    build: https://github.com/example/web.git#main\n";
  ProjectContent content = dir.Read(yaml);
  REQUIRE(Lines(content.errors).empty());
  const BuildContext& build = content.builds.at("web");
  CHECK(build.request.remote == "https://github.com/example/web.git#main");
  CHECK(build.tree.entries.empty());
  const planner::BuildUse& use = *content.digests.at("web").build;
  CHECK(use.label == "https://github.com/example/web.git#main");
  CHECK(use.digest == BuildDigest("", build.request));
  CHECK(dir.Read(yaml).digests.at("web").build->digest == use.digest);
}

}  // namespace
}  // namespace baton::content
