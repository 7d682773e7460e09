// What add_defaults adds, as `docker compose config` does, and that nothing
// is added without it.

#include <catch2/catch.hpp>

#include "tests/compose/normalise_fixture.h"

namespace baton::compose {
namespace {

using testing::DefaultsOptions;
using testing::NormaliseYaml;
using testing::PlainOptions;

Project Load(std::string_view yaml, const NormaliseOptions& options) {
  auto project = NormaliseYaml(yaml, options);
  if (!project.ok()) FAIL(project.error().ToString());
  return *project;
}

TEST_CASE("normalise defaults: a service without networks joins the default network",
          "[compose][normalise][defaults]") {
  Project p = Load("services:\n  web:\n    image: a\n", DefaultsOptions());
  REQUIRE(p.services.at("web").networks.count("default") == 1);
  CHECK_FALSE(p.services.at("web").networks.at("default").has_value());
  REQUIRE(p.networks.count("default") == 1);
  CHECK(p.networks.at("default").name == "shop_default");
}

TEST_CASE("normalise defaults: no default network when no service uses it",
          "[compose][normalise][defaults]") {
  Project p = Load(R"(services:
  web: {image: a, networks: {front: null}}
  tool: {image: b, network_mode: host}
networks:
  front:
)",
                   DefaultsOptions());
  CHECK(p.networks.count("default") == 0);
  CHECK(p.services.at("web").networks.count("default") == 0);
  CHECK(p.services.at("tool").networks.empty());
}

TEST_CASE("normalise defaults: a declared default network keeps its settings",
          "[compose][normalise][defaults]") {
  Project p = Load("services:\n  web: {image: a}\nnetworks:\n  default: {driver: overlay}\n",
                   DefaultsOptions());
  CHECK(p.networks.at("default").driver == "overlay");
  CHECK(p.networks.at("default").name == "shop_default");
}

TEST_CASE("normalise defaults: a provider service joins no network",
          "[compose][normalise][defaults]") {
  Project p = Load("services:\n  ai: {provider: {type: model}}\n", DefaultsOptions());
  CHECK(p.services.at("ai").networks.empty());
  CHECK(p.networks.empty());
}

TEST_CASE("normalise defaults: resources are named after the project unless external or named",
          "[compose][normalise][defaults]") {
  Project p = Load(R"(networks:
  back:
  ext: {external: true}
volumes:
  data:
  user: {name: user_specified_name}
secrets:
  s: {file: /proj/s}
configs:
  c: {external: true, name: my_config}
)",
                   DefaultsOptions());
  CHECK(p.networks.at("back").name == "shop_back");
  CHECK(p.networks.at("ext").name == "ext");
  CHECK(p.volumes.at("data").name == "shop_data");
  CHECK(p.volumes.at("user").name == "user_specified_name");
  CHECK(p.secrets.at("s").name == "shop_s");
  CHECK(p.configs.at("c").name == "my_config");
}

TEST_CASE("normalise defaults: build gets a Dockerfile unless inline",
          "[compose][normalise][defaults]") {
  Project p = Load(R"(services:
  a: {build: {context: /p}}
  b: {build: {context: /p, dockerfile_inline: FROM alpine}}
  c: {build: {context: /p, dockerfile: other.Dockerfile}}
)",
                   DefaultsOptions());
  CHECK(p.services.at("a").build->dockerfile == "Dockerfile");
  CHECK(p.services.at("b").build->dockerfile == "");
  CHECK(p.services.at("c").build->dockerfile == "other.Dockerfile");
}

TEST_CASE("normalise defaults: unresolved build args are dropped",
          "[compose][normalise][defaults]") {
  Project p = Load("services:\n  a: {build: {context: /p, args: {GONE: null, KEPT: x}}}\n",
                   DefaultsOptions());
  CHECK(p.services.at("a").build->args == OptionalStringMap{{"KEPT", "x"}});
}

TEST_CASE("normalise defaults: links, service namespaces and volumes_from imply depends_on",
          "[compose][normalise][defaults]") {
  Project p = Load(R"(services:
  web:
    image: a
    links: [db, "cache:redis"]
    network_mode: service:vpn
    ipc: service:shm
    volumes_from: [data, "container:abc", "logs:ro"]
    depends_on:
      db: {condition: service_healthy, required: true}
)",
                   DefaultsOptions());
  const auto& deps = p.services.at("web").depends_on;
  REQUIRE(deps.size() == 6);
  CHECK(deps.at("db").condition == "service_healthy");
  CHECK_FALSE(deps.at("db").restart);
  CHECK(deps.at("cache").condition == "service_started");
  CHECK(deps.at("cache").restart);
  CHECK(deps.at("cache").required);
  CHECK(deps.at("vpn").restart);
  CHECK(deps.at("shm").restart);
  CHECK_FALSE(deps.at("data").restart);
  CHECK_FALSE(deps.at("logs").restart);
  CHECK(p.services.at("web").marks.at("depends_on.cache").ToString() == "compose.yaml:4:17");
}

TEST_CASE("normalise defaults: mounts, secrets, pull policy and device requests",
          "[compose][normalise][defaults]") {
  Project p = Load(R"(services:
  web:
    image: a
    pull_policy: if_not_present
    volumes:
      - {type: bind, source: /a, target: /data/./x/, bind: {}}
      - {type: bind, source: /b, target: /b, bind: {create_host_path: false}}
      - {type: bind, source: /c, target: /c}
    secrets:
      - source: token
    gpus:
      - {driver: nvidia}
    deploy:
      resources:
        reservations:
          devices:
            - {capabilities: [gpu]}
            - {capabilities: [gpu], device_ids: ["0"]}
)",
                   DefaultsOptions());
  const Service& web = p.services.at("web");
  CHECK(web.pull_policy == "missing");
  CHECK(web.volumes[0].target == "/data/x");
  CHECK(web.volumes[0].bind_create_host_path == std::optional<bool>(true));
  CHECK(web.volumes[1].bind_create_host_path == std::optional<bool>(false));
  CHECK_FALSE(web.volumes[2].bind_create_host_path.has_value());
  CHECK(web.secrets[0].target == "/run/secrets/token");
  CHECK(web.other.Find("gpus")->items()[0].Find("count")->scalar() == "all");
  const Node& devices = web.deploy->reservations->devices;
  CHECK(devices.items()[0].Find("count")->scalar() == "all");
  CHECK(devices.items()[1].Find("count") == nullptr);
}

TEST_CASE("normalise defaults: nothing is added without add_defaults",
          "[compose][normalise][defaults]") {
  Project p = Load(R"(services:
  web:
    build: {context: /p, args: {GONE: null}}
    links: [db]
    pull_policy: if_not_present
    volumes: [{type: bind, source: /a, target: /a/, bind: {}}]
    secrets: [{source: token}]
networks:
  back:
)",
                   PlainOptions());
  const Service& web = p.services.at("web");
  CHECK(web.networks.empty());
  CHECK(p.networks.count("default") == 0);
  CHECK(p.networks.at("back").name == "");
  CHECK(web.build->dockerfile == "");
  CHECK(web.build->args.count("GONE") == 1);
  CHECK(web.depends_on.empty());
  CHECK(web.pull_policy == "if_not_present");
  CHECK(web.volumes[0].target == "/a/");
  CHECK_FALSE(web.volumes[0].bind_create_host_path.has_value());
  CHECK(web.secrets[0].target == "");
}

}  // namespace
}  // namespace baton::compose
