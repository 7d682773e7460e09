// MakeContainerSpec with local content: copies of project files and configs
// bound from their host paths, host-path binds, the baton.files label, and
// the secrets and configs it refuses.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/container_spec.h"
#include "tests/planner/desired_fixture.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using planner::testing::Desired;
using planner::testing::Spec;

constexpr char kCopyPath[] = "/var/lib/docker/volumes/baton-files-shop-d1/_data";

// `yaml`'s desired state with `content` as service web's local content, as
// MakeDesiredState sets it from the content stage's digests.
planner::DesiredState WithContent(const std::string& yaml, planner::ServiceContent content) {
  planner::DesiredState desired = Desired(yaml);
  for (planner::ServiceSpec& service : desired.services)
    if (service.name == "web") service.content = std::move(content);
  return desired;
}

planner::FileCopyUse Copy(std::string digest, std::string subpath, std::string target,
                          bool read_only, bool config = false) {
  planner::FileCopyUse use;
  use.digest = std::move(digest);
  use.subpath = std::move(subpath);
  use.target = std::move(target);
  use.read_only = read_only;
  use.config = config;
  use.label = config ? "config app" : "./" + (use.subpath.empty() ? "site" : use.subpath);
  return use;
}

planner::SecretUse Secret(std::string key, std::string target) {
  planner::SecretUse use;
  use.key = std::move(key);
  use.target = std::move(target);
  use.fingerprint = "f";
  return use;
}

Result<ContainerSpec> MakeWeb(const planner::DesiredState& desired,
                              const FileCopyPaths& copies = {{"d1", kCopyPath}}) {
  return MakeContainerSpec(desired, Spec(desired, "web"), 1, "lab1", {}, copies);
}

ContainerSpec Made(const planner::DesiredState& desired,
                   const FileCopyPaths& copies = {{"d1", kCopyPath}}) {
  Result<ContainerSpec> spec = MakeWeb(desired, copies);
  if (!spec.ok()) FAIL(spec.error().ToString());
  return std::move(*spec);
}

std::string MadeError(const planner::DesiredState& desired) {
  Result<ContainerSpec> spec = MakeWeb(desired);
  return spec.ok() ? "made" : spec.error().ToString();
}

json Mounts(const ContainerSpec& spec) {
  if (!spec.extra.is_object() || !spec.extra.contains("HostConfig")) return json::array();
  return spec.extra["HostConfig"].value("Mounts", json::array());
}

TEST_CASE("container spec files: a project file is bound read-only from its copy",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.copies = {Copy("d1", "nginx.conf", "/etc/nginx/nginx.conf", true)};
  ContainerSpec spec = Made(WithContent(R"(name: shop
services:
  web:
    image: busybox
    volumes: [./nginx.conf:/etc/nginx/nginx.conf:ro]
)",
                                        content));
  CHECK(spec.host_config.binds.empty());
  CHECK(Mounts(spec) == json::parse(R"([{"Type": "bind",
    "Source": "/var/lib/docker/volumes/baton-files-shop-d1/_data/nginx.conf",
    "Target": "/etc/nginx/nginx.conf", "ReadOnly": true}])"));
}

TEST_CASE("container spec files: a writable project folder is bound from the copy's root",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.copies = {Copy("d1", "", "/srv", false)};
  ContainerSpec spec =
      Made(WithContent("name: shop\nservices:\n  web:\n    image: busybox\n"
                       "    volumes: [./site:/srv]\n",
                       content));
  CHECK(spec.host_config.binds.empty());
  CHECK(Mounts(spec) == json::parse(R"([{"Type": "bind",
    "Source": "/var/lib/docker/volumes/baton-files-shop-d1/_data", "Target": "/srv",
    "ReadOnly": false}])"));
}

TEST_CASE("container spec files: the files label lists each copy's digest once, sorted",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.copies = {Copy("d2", "", "/srv", false), Copy("d1", "a.conf", "/etc/a.conf", true),
                    Copy("d1", "a.conf", "/etc/b.conf", true)};
  ContainerSpec spec = Made(WithContent(R"(name: shop
services:
  web:
    image: busybox
    volumes: [./site:/srv, ./a.conf:/etc/a.conf:ro, ./a.conf:/etc/b.conf:ro]
)",
                                        content),
                            {{"d1", "/c1"}, {"d2", "/c2"}});
  CHECK(spec.labels["baton.files"] == R"(["d1","d2"])");
  CHECK(Mounts(spec).size() == 3);
}

TEST_CASE("container spec files: a service without copies has no files label",
          "[runtime][container-spec][files]") {
  ContainerSpec spec = Made(Desired("name: shop\nservices:\n  web:\n    image: busybox\n"));
  CHECK_FALSE(spec.labels.contains("baton.files"));
}

TEST_CASE("container spec files: a copy missing on the host is an internal error naming it",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.copies = {Copy("d9", "nginx.conf", "/etc/nginx/nginx.conf", true)};
  Result<ContainerSpec> spec = MakeWeb(WithContent(R"(name: shop
services:
  web:
    image: busybox
    volumes: [./nginx.conf:/etc/nginx/nginx.conf:ro]
)",
                                                   content));
  REQUIRE_FALSE(spec.ok());
  CHECK(spec.error().kind == Error::Kind::kInternal);
  CHECK(spec.error().ToString() == "no copy of ./nginx.conf on host lab1");
}

TEST_CASE("container spec files: a host path bind is a bind that creates a missing source",
          "[runtime][container-spec][files]") {
  ContainerSpec spec = Made(Desired(R"(name: shop
services:
  web:
    image: busybox
    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]
)"));
  CHECK(spec.host_config.binds ==
        std::vector<std::string>{"/var/run/docker.sock:/var/run/docker.sock:ro"});
  CHECK(Mounts(spec).empty());
}

TEST_CASE("container spec files: a host path with create_host_path false is a strict mount",
          "[runtime][container-spec][files]") {
  ContainerSpec spec = Made(Desired(R"(name: shop
services:
  web:
    image: busybox
    volumes:
      - type: bind
        source: /srv/data
        target: /data
        bind: {create_host_path: false, propagation: rslave}
)"));
  CHECK(spec.host_config.binds.empty());
  CHECK(Mounts(spec) == json::parse(R"([{"Type": "bind", "Source": "/srv/data",
    "Target": "/data", "ReadOnly": false, "BindOptions": {"Propagation": "rslave"}}])"));
}

TEST_CASE("container spec files: a config is bound read-only at its default target",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.copies = {Copy("d1", "config", "/app", true, true)};
  ContainerSpec spec = Made(WithContent(R"(name: shop
services:
  web: {image: busybox, configs: [app]}
configs:
  app: {file: ./app.conf}
)",
                                        content));
  CHECK(Mounts(spec) == json::parse(R"([{"Type": "bind",
    "Source": "/var/lib/docker/volumes/baton-files-shop-d1/_data/config", "Target": "/app",
    "ReadOnly": true}])"));
}

TEST_CASE("container spec files: a config with a relative target is bound under the root",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.copies = {Copy("d1", "config", "/etc/app.conf", true, true)};
  ContainerSpec spec = Made(WithContent(R"(name: shop
services:
  web:
    image: busybox
    configs: [{source: app, target: etc/app.conf}]
configs:
  app: {file: ./app.conf}
)",
                                        content));
  REQUIRE(Mounts(spec).size() == 1);
  CHECK(Mounts(spec)[0]["Target"] == "/etc/app.conf");
}

TEST_CASE("container spec files: a volume at a config's target wins over the config",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.copies = {Copy("d1", "config", "/app", true, true)};
  ContainerSpec spec = Made(WithContent(R"(name: shop
services:
  web: {image: busybox, configs: [app], volumes: [data:/app]}
configs:
  app: {file: ./app.conf}
volumes:
  data:
)",
                                        content));
  CHECK(Mounts(spec).empty());
  CHECK(spec.host_config.binds == std::vector<std::string>{"shop_data:/app"});
  CHECK_FALSE(spec.labels.contains("baton.files"));
}

TEST_CASE("container spec files: an external config is refused at the reference",
          "[runtime][container-spec][files]") {
  CHECK(MadeError(Desired(R"(name: shop
services:
  web: {image: busybox, configs: [app]}
configs:
  app: {external: true}
)")) == "compose.yaml:3:25: services.web.configs[0]: config \"app\" has no content baton can "
        "copy: external, driver and template_driver configs are not supported yet");
}

TEST_CASE("container spec files: a secret with a relative target is delivered, not mounted",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.secrets = {Secret("db-password", "/run/secrets/db")};
  planner::DesiredState desired = WithContent(R"(name: shop
services:
  web:
    image: busybox
    secrets: [{source: db-password, target: db}]
secrets:
  db-password: {file: ./db.txt}
)",
                                              content);
  ContainerSpec spec = Made(desired);
  CHECK(Mounts(spec).empty());
  std::vector<planner::SecretUse> delivered = SecretsToDeliver(Spec(desired, "web"));
  REQUIRE(delivered.size() == 1);
  CHECK(delivered[0].target == "/run/secrets/db");
  CHECK(delivered[0].mode == 0444);
}

TEST_CASE("container spec files: a volume at a secret's target wins over the secret",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.secrets = {Secret("token", "/run/secrets/token")};
  planner::DesiredState desired = WithContent(R"(name: shop
services:
  web:
    image: busybox
    read_only: true
    secrets: [token]
    volumes: [/etc/token:/run/secrets/token:ro]
secrets:
  token: {file: ./token.txt}
)",
                                              content);
  CHECK(MadeError(desired) == "made");
  CHECK(SecretsToDeliver(Spec(desired, "web")).empty());
}

TEST_CASE("container spec files: a secret on a read_only service is refused at the reference",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.secrets = {Secret("token", "/run/secrets/token")};
  CHECK(MadeError(WithContent(R"(name: shop
services:
  web:
    image: busybox
    read_only: true
    secrets: [token]
secrets:
  token: {file: ./token.txt}
)",
                              content)) ==
        "compose.yaml:6:5: services.web.secrets[0]: a read_only service cannot receive secrets "
        "yet: baton copies them into the container's file system");
}

TEST_CASE("container spec files: a secret under a tmpfs mount is refused at the reference",
          "[runtime][container-spec][files]") {
  planner::ServiceContent content;
  content.secrets = {Secret("token", "/run/app/token"), Secret("token", "/run/secrets/token")};
  CHECK(MadeError(WithContent(R"(name: shop
services:
  web:
    image: busybox
    tmpfs: [/run/secrets:size=64k]
    secrets: [{source: token, target: /run/app/token}, token]
secrets:
  token: {file: ./token.txt}
)",
                              content)) ==
        "compose.yaml:6:5: services.web.secrets[1]: baton cannot copy a secret into tmpfs "
        "/run/secrets");
}

}  // namespace
}  // namespace baton::runtime
