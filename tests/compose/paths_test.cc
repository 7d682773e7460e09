// Making the local paths of a canonical compose file absolute.

#include <catch2/catch.hpp>

#include <string>

#include "compose/canonical.h"
#include "compose/paths.h"
#include "compose/serialize.h"
#include "compose/yaml_reader.h"

namespace baton::compose {
namespace {

const PathContext kCtx{"/work/app", "/home/me"};

Node Resolved(const std::string& text) {
  auto root = ParseYaml(text, "compose.yaml");
  if (!root.ok()) FAIL(root.error().ToString());
  Status s = Canonicalise(*root);
  if (!s.ok()) FAIL(s.error().ToString());
  ResolvePaths(*root, kCtx);
  return std::move(*root);
}

std::string WebText(const Node& root, std::initializer_list<const char*> path) {
  const Node* node = root.Find("services")->Find("web");
  for (const char* key : path) {
    node = node->Find(key);
    REQUIRE(node != nullptr);
  }
  return node->scalar();
}

TEST_CASE("paths: CleanPath removes dots, repeated and trailing slashes", "[compose][paths]") {
  CHECK(CleanPath("./a/../b") == "b");
  CHECK(CleanPath("/a//b/./c/") == "/a/b/c");
  CHECK(CleanPath("/..") == "/");
  CHECK(CleanPath("../a/..") == "..");
  CHECK(CleanPath("") == ".");
}

TEST_CASE("paths: ResolvePath joins, expands ~ and cleans", "[compose][paths]") {
  CHECK(ResolvePath(".", kCtx) == "/work/app");
  CHECK(ResolvePath("./static/", kCtx) == "/work/app/static");
  CHECK(ResolvePath("../shared", kCtx) == "/work/shared");
  CHECK(ResolvePath("/abs//dir/", kCtx) == "/abs/dir");
  CHECK(ResolvePath("~", kCtx) == "/home/me");
  CHECK(ResolvePath("~/configs", kCtx) == "/home/me/configs");
  CHECK(ResolvePath("", kCtx) == "");
}

TEST_CASE("paths: ~ is not expanded without a home directory", "[compose][paths]") {
  CHECK(ResolvePath("~/x", PathContext{"/w", ""}) == "/w/~/x");
}

TEST_CASE("paths: remote build contexts are recognised", "[compose][paths]") {
  for (const char* remote : {"https://github.com/a/b.git", "http://x/y.tar.gz", "git://h/r",
                             "ssh://git@h/r", "git@github.com:a/b.git", "github.com/a/b",
                             "docker-image://alpine", "service:base"})
    CHECK(IsRemoteContext(remote));
  CHECK_FALSE(IsRemoteContext("./dir"));
  CHECK_FALSE(IsRemoteContext("/abs"));
}

TEST_CASE("paths: build context and local additional contexts become absolute",
          "[compose][paths]") {
  Node root = Resolved(
      "services:\n  web:\n    build:\n      context: ./dir\n      additional_contexts:\n"
      "        local: ../lib\n        image: docker-image://alpine\n");
  CHECK(WebText(root, {"build", "context"}) == "/work/app/dir");
  CHECK(WebText(root, {"build", "additional_contexts", "local"}) == "/work/lib");
  CHECK(WebText(root, {"build", "additional_contexts", "image"}) == "docker-image://alpine");
}

TEST_CASE("paths: a git build context is left as written", "[compose][paths]") {
  Node root = Resolved("services:\n  web:\n    build: https://github.com/a/b.git#main\n");
  CHECK(WebText(root, {"build", "context"}) == "https://github.com/a/b.git#main");
}

TEST_CASE("paths: bind sources become absolute, volume names do not", "[compose][paths]") {
  Node root = Resolved("services:\n  web:\n    volumes: [\".:/code\", \"~/c:/c\", \"data:/d\"]\n");
  const Node& volumes = *root.Find("services")->Find("web")->Find("volumes");
  CHECK(volumes.items()[0].Find("source")->scalar() == "/work/app");
  CHECK(volumes.items()[1].Find("source")->scalar() == "/home/me/c");
  CHECK(volumes.items()[2].Find("source")->scalar() == "data");
}

TEST_CASE("paths: env_file, label_file and extends.file become absolute", "[compose][paths]") {
  Node root = Resolved(
      "services:\n  web:\n    env_file: [a.env, {path: ./b.env, required: false}]\n"
      "    label_file: ./l\n    extends:\n      service: base\n      file: ../base.yaml\n");
  const Node& web = *root.Find("services")->Find("web");
  CHECK(web.Find("env_file")->items()[0].Find("path")->scalar() == "/work/app/a.env");
  CHECK(web.Find("env_file")->items()[1].Find("path")->scalar() == "/work/app/b.env");
  CHECK(web.Find("label_file")->items()[0].scalar() == "/work/app/l");
  CHECK(WebText(root, {"extends", "file"}) == "/work/base.yaml");
}

TEST_CASE("paths: build ssh key files become absolute", "[compose][paths]") {
  Node root = Resolved("services:\n  web:\n    build:\n      ssh: [default, key=~/.ssh/id]\n");
  CHECK(WebText(root, {"build", "ssh", "key"}) == "/home/me/.ssh/id");
  CHECK(root.Find("services")->Find("web")->Find("build")->Find("ssh")->Find("default")->IsNull());
}

TEST_CASE("paths: develop watch paths become absolute", "[compose][paths]") {
  Node root = Resolved("services:\n  web:\n    develop:\n      watch:\n"
                       "        - {path: ./src, action: sync, target: /app}\n");
  const Node& watch = *root.Find("services")->Find("web")->Find("develop")->Find("watch");
  CHECK(watch.items()[0].Find("path")->scalar() == "/work/app/src");
  CHECK(watch.items()[0].Find("target")->scalar() == "/app");
}

TEST_CASE("paths: secret and config files become absolute", "[compose][paths]") {
  Node root = Resolved("secrets:\n  s:\n    file: ./secret\n  e:\n    environment: E\n"
                       "configs:\n  c:\n    file: ~/config\n");
  CHECK(root.Find("secrets")->Find("s")->Find("file")->scalar() == "/work/app/secret");
  CHECK(root.Find("secrets")->Find("e")->Find("file") == nullptr);
  CHECK(root.Find("configs")->Find("c")->Find("file")->scalar() == "/home/me/config");
}

TEST_CASE("paths: a local bind volume's device becomes absolute", "[compose][paths]") {
  Node root = Resolved("volumes:\n  v:\n    driver: local\n    driver_opts:\n      o: bind\n"
                       "      type: none\n      device: ./data\n");
  CHECK(root.Find("volumes")->Find("v")->Find("driver_opts")->Find("device")->scalar() ==
        "/work/app/data");
}

TEST_CASE("paths: ResolveServicePaths resolves one service", "[compose][paths]") {
  auto service = ParseYaml("build: .\nvolumes: [\"./a:/a\"]\n", "compose.yaml");
  REQUIRE(service.ok());
  REQUIRE(CanonicaliseService(*service, ModelPath().Key("services").Key("web")).ok());
  ResolveServicePaths(*service, kCtx);
  CHECK(service->Find("build")->Find("context")->scalar() == "/work/app");
  CHECK(service->Find("volumes")->items()[0].Find("source")->scalar() == "/work/app/a");
}

}  // namespace
}  // namespace baton::compose
