#include <catch2/catch.hpp>

#include "compose/serialize.h"
#include "planner/spec_hash.h"
#include "tests/planner/desired_fixture.h"

namespace baton::planner {
namespace {

using testing::LoadCompose;
using testing::Spec;
using testing::Strings;

// web builds from ./web, mounts ./site and a host path, with a config and a secret.
constexpr char kWeb[] =
    "name: shop\n"
    "services:\n"
    "  web:\n"
    "    build: ./web\n"
    "    volumes: [./site:/srv/site:ro, /var/run/docker.sock:/var/run/docker.sock]\n"
    "    configs: [app]\n"
    "    secrets: [db]\n"
    "  api:\n"
    "    image: api:1\n"
    "configs:\n"
    "  app: {file: ./app.ini}\n"
    "secrets:\n"
    "  db: {file: ./db.txt}\n";

// The content stage's view of web, with each digest as given.
ContentDigests WebContent(const std::string& build, const std::string& site,
                          const std::string& config, const std::string& secret) {
  ServiceContent web;
  web.build = BuildUse{build, "shop-web", "shop-web:baton-" + build.substr(0, 12), "./web"};
  FileCopyUse copy;
  copy.digest = site;
  copy.target = "/srv/site";
  copy.label = "./site";
  web.copies.push_back(copy);
  copy.digest = config;
  copy.target = "/app";
  copy.config = true;
  copy.label = "config app";
  web.copies.push_back(copy);
  web.secrets.push_back(SecretUse{"db", secret, "/run/secrets/db"});
  web.host_paths = {"/var/run/docker.sock"};
  return {{"web", web}};
}

DesiredState Made(const compose::Project& project, const ContentDigests& content) {
  auto desired = MakeDesiredState(project, content);
  if (!desired.ok()) FAIL("desired: " << desired.error().ToString());
  return std::move(*desired);
}

// The keys whose part hash differs between two specs of one service.
Strings ChangedParts(const ServiceSpec& before, const ServiceSpec& after) {
  Strings changed;
  for (const auto& [key, hash] : after.part_hashes)
    if (before.part_hashes.count(key) == 0 || before.part_hashes.at(key) != hash)
      changed.push_back(key);
  return changed;
}

// The parts of web that change when one digest of its content changes.
Strings ChangedBy(const ContentDigests& changed) {
  compose::Project project = LoadCompose(kWeb);
  const ServiceSpec before = Spec(Made(project, WebContent("k1", "d1", "c1", "f1")), "web");
  const ServiceSpec after = Spec(Made(project, changed), "web");
  CHECK(after.spec_hash != before.spec_hash);
  return ChangedParts(before, after);
}

TEST_CASE("spec hash content: a config digest change alters exactly the configs part",
          "[planner][desired]") {
  CHECK(ChangedBy(WebContent("k1", "d1", "c2", "f1")) == Strings{"configs"});
}

TEST_CASE("spec hash content: a project bind digest change alters exactly the volumes part",
          "[planner][desired]") {
  CHECK(ChangedBy(WebContent("k1", "d2", "c1", "f1")) == Strings{"volumes"});
}

TEST_CASE("spec hash content: a secret fingerprint change alters exactly the secrets part",
          "[planner][desired]") {
  CHECK(ChangedBy(WebContent("k1", "d1", "c1", "f2")) == Strings{"secrets"});
}

TEST_CASE("spec hash content: a build digest change alters exactly the build part",
          "[planner][desired]") {
  CHECK(ChangedBy(WebContent("k2", "d1", "c1", "f1")) == Strings{"build"});
}

TEST_CASE("spec hash content: the project folder moved hashes the same", "[planner][desired]") {
  compose::testing::MemoryFileSystem files;
  files.Add("/elsewhere/shop/compose.yaml", kWeb);
  auto moved = compose::Load(compose::testing::In("/elsewhere/shop"), files);
  REQUIRE(moved.ok());
  ContentDigests content = WebContent("k1", "d1", "c1", "f1");
  const ServiceSpec here = Spec(Made(LoadCompose(kWeb), content), "web");
  const ServiceSpec there = Spec(Made(*moved, content), "web");
  CHECK(there.spec_hash == here.spec_hash);
  CHECK(there.service.volumes[0].source == "/elsewhere/shop/site");
}

TEST_CASE("spec hash content: project paths read relative, host paths stay absolute",
          "[planner][desired]") {
  compose::Project project = LoadCompose(kWeb);
  ContentDigests content = WebContent("k1", "d1", "c1", "f1");
  compose::Node node = HashedServiceNode(project.services.at("web"), content.at("web"), "/p");
  std::string json = compose::ToJson(node);
  CHECK(json.find("\"./site\"") != std::string::npos);
  CHECK(json.find("\"./web\"") != std::string::npos);
  CHECK(json.find("\"/var/run/docker.sock\"") != std::string::npos);
  CHECK(json.find("\"/p") == std::string::npos);
  // One digest per use: the bind from the project, not the host path.
  CHECK(compose::ToJson(*node.Find("volumes")).find("x-content") ==
        compose::ToJson(*node.Find("volumes")).rfind("x-content"));
}

TEST_CASE("spec hash content: a service that builds runs its digest tag", "[planner][desired]") {
  DesiredState desired = Made(LoadCompose(kWeb), WebContent("k1", "d1", "c1", "f1"));
  const ServiceSpec& web = Spec(desired, "web");
  CHECK(web.service.image == "shop-web:baton-k1");
  REQUIRE(web.content.build);
  CHECK(web.content.build->image == "shop-web");
  CHECK(web.content.copies.size() == 2);
  CHECK(Spec(desired, "api").content.empty());
}

TEST_CASE("spec hash content: a build service without content keeps its image and hash",
          "[planner][desired]") {
  compose::Project project = LoadCompose(kWeb);
  const ServiceSpec web = Spec(Made(project, {}), "web");
  CHECK(web.service.image.empty());
  CHECK(web.content.empty());
  // The hash still reads project paths relative: only the digests are missing.
  CHECK(web.spec_hash ==
        HashService(project.services.at("web"), ServiceContent{}, "/p").hash);
}

}  // namespace
}  // namespace baton::planner
