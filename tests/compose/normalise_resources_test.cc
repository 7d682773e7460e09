// Normalisation of the top-level networks, volumes, secrets and configs.

#include <catch2/catch.hpp>

#include "tests/compose/normalise_fixture.h"

namespace baton::compose {
namespace {

using testing::NormaliseError;
using testing::NormaliseYaml;

Project Load(std::string_view yaml, const NormaliseOptions& options = testing::PlainOptions()) {
  auto project = NormaliseYaml(yaml, options);
  if (!project.ok()) FAIL(project.error().ToString());
  return *project;
}

TEST_CASE("normalise: networks with ipam, options and flags", "[compose][normalise][resources]") {
  Project p = Load(R"(networks:
  some-network:
  other-network:
    driver: overlay
    driver_opts: {foo: bar, baz: "1"}
    ipam:
      driver: overlay
      config:
        - subnet: 172.28.0.0/16
          ip_range: 172.28.5.0/24
          gateway: 172.28.5.254
          aux_addresses: {host1: 172.28.1.5}
      options: {a: b}
    internal: true
    attachable: true
    enable_ipv6: false
    labels: {foo: bar}
    x-foo: bar
)");
  REQUIRE(p.networks.size() == 2);
  const Network& some = p.networks.at("some-network");
  CHECK(some.name == "");
  CHECK(some.mark.ToString() == "compose.yaml:2:3");
  const Network& other = p.networks.at("other-network");
  CHECK(other.driver == "overlay");
  CHECK(other.driver_opts == StringMap{{"baz", "1"}, {"foo", "bar"}});
  REQUIRE(other.ipam.has_value());
  CHECK(other.ipam->driver == "overlay");
  REQUIRE(other.ipam->config.size() == 1);
  CHECK(other.ipam->config[0].subnet == "172.28.0.0/16");
  CHECK(other.ipam->config[0].ip_range == "172.28.5.0/24");
  CHECK(other.ipam->config[0].gateway == "172.28.5.254");
  CHECK(other.ipam->config[0].aux_addresses == StringMap{{"host1", "172.28.1.5"}});
  CHECK(other.ipam->options == StringMap{{"a", "b"}});
  CHECK(other.internal);
  CHECK(other.attachable);
  CHECK(other.enable_ipv6 == std::optional<bool>(false));
  CHECK_FALSE(other.enable_ipv4.has_value());
  CHECK(other.labels == StringMap{{"foo", "bar"}});
  CHECK(other.extensions.Find("x-foo")->scalar() == "bar");
}

TEST_CASE("normalise: external resources and the legacy external name",
          "[compose][normalise][resources]") {
  Project p = Load(R"(volumes:
  plain: {external: true}
  legacy:
    external: {name: my-cool-volume}
  named: {name: this-is-volume3, external: true}
)");
  CHECK(p.volumes.at("plain").external);
  CHECK(p.volumes.at("plain").name == "");
  CHECK(p.volumes.at("legacy").external);
  CHECK(p.volumes.at("legacy").name == "my-cool-volume");
  CHECK(p.volumes.at("named").name == "this-is-volume3");
}

TEST_CASE("normalise: volumes with driver and labels", "[compose][normalise][resources]") {
  Project p = Load("volumes:\n  data:\n    driver: flocker\n    driver_opts: {foo: bar}\n"
                   "    labels: {a: b}\n");
  const Volume& data = p.volumes.at("data");
  CHECK(data.driver == "flocker");
  CHECK(data.driver_opts == StringMap{{"foo", "bar"}});
  CHECK(data.labels == StringMap{{"a", "b"}});
  CHECK_FALSE(data.external);
}

TEST_CASE("normalise: secrets and configs", "[compose][normalise][resources]") {
  Project p = Load(R"(secrets:
  secret1: {file: /proj/secret_data, labels: {foo: bar}}
  secret4: {name: bar, environment: BAR}
configs:
  config1: {file: /proj/config_data}
  inline: {content: "hello"}
  templated: {file: /proj/t, template_driver: golang, driver: d, driver_opts: {a: b}}
)");
  CHECK(p.secrets.at("secret1").file == "/proj/secret_data");
  CHECK(p.secrets.at("secret1").labels == StringMap{{"foo", "bar"}});
  CHECK(p.secrets.at("secret4").name == "bar");
  CHECK(p.secrets.at("secret4").environment == "BAR");
  CHECK(p.configs.at("config1").file == "/proj/config_data");
  CHECK(p.configs.at("inline").content == std::optional<std::string>("hello"));
  CHECK(p.configs.at("templated").template_driver == "golang");
  CHECK(p.configs.at("templated").driver == "d");
  CHECK(p.configs.at("templated").driver_opts == StringMap{{"a", "b"}});
}

TEST_CASE("normalise: a config takes its content from its environment variable",
          "[compose][normalise][resources]") {
  NormaliseOptions options = testing::PlainOptions();
  options.lookup = testing::MapLookup({{"CFG", "from env"}});
  Project p = Load("configs:\n  c: {environment: CFG}\n  d: {environment: UNSET}\n", options);
  CHECK(p.configs.at("c").content == std::optional<std::string>("from env"));
  CHECK_FALSE(p.configs.at("d").content.has_value());
}

TEST_CASE("normalise: a secret never takes a value from the environment",
          "[compose][normalise][resources]") {
  NormaliseOptions options = testing::PlainOptions();
  options.lookup = testing::MapLookup({{"BAR", "this is a secret"}});
  Project p = Load("secrets:\n  s: {environment: BAR}\n", options);
  CHECK_FALSE(p.secrets.at("s").content.has_value());
}

TEST_CASE("normalise: secret content is refused", "[compose][normalise][resources]") {
  CHECK(NormaliseError("secrets:\n  s:\n    content: x\n") ==
        "compose.yaml:3:5: secrets.s.content: unknown key \"content\"");
}

TEST_CASE("normalise: an unknown network key is located", "[compose][normalise][resources]") {
  CHECK(NormaliseError("networks:\n  n:\n    drivr: bridge\n") ==
        "compose.yaml:3:5: networks.n.drivr: unknown key \"drivr\"");
}

TEST_CASE("normalise: a non-boolean external is located", "[compose][normalise][resources]") {
  CHECK(NormaliseError("volumes:\n  v:\n    external: sometimes\n") ==
        "compose.yaml:3:15: volumes.v.external: invalid boolean \"sometimes\"");
}

TEST_CASE("normalise: service secret and config references", "[compose][normalise][resources]") {
  Project p = Load(R"(services:
  web:
    image: a
    secrets:
      - source: secret1
        target: /run/secrets/secret1
      - {source: secret2, target: my_secret, uid: "103", gid: "103", mode: "0440"}
    configs:
      - source: config1
)");
  const Service& web = p.services.at("web");
  REQUIRE(web.secrets.size() == 2);
  CHECK(web.secrets[0].source == "secret1");
  CHECK(web.secrets[0].target == "/run/secrets/secret1");
  CHECK(web.secrets[1].uid == "103");
  CHECK(web.secrets[1].gid == "103");
  CHECK(web.secrets[1].mode == std::optional<uint32_t>(0440));
  REQUIRE(web.configs.size() == 1);
  CHECK(web.configs[0].target == "");
  CHECK(web.marks.at("secrets[1]").ToString() == "compose.yaml:7:9");
  CHECK(web.marks.at("configs[0]").ToString() == "compose.yaml:9:9");
}

TEST_CASE("normalise: a bad secret mode is located", "[compose][normalise][resources]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    secrets:\n"
                       "      - {source: s, mode: \"0999\"}\n") ==
        "compose.yaml:5:27: services.web.secrets[0].mode: invalid file mode \"0999\"");
}

TEST_CASE("normalise: a secret reference without source is located",
          "[compose][normalise][resources]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    secrets:\n      - {target: /x}\n") ==
        "compose.yaml:5:9: services.web.secrets[0]: missing key \"source\"");
}

TEST_CASE("normalise: service networks with options", "[compose][normalise][resources]") {
  Project p = Load(R"(services:
  web:
    image: a
    networks:
      some-network:
        aliases: [alias1, alias3]
        priority: 100
        gw_priority: 1
        interface_name: eth1
        link_local_ips: [169.254.1.1]
        driver_opts: {a: b}
      other-network:
        ipv4_address: 172.16.238.10
        ipv6_address: 2001:3984:3989::10
        mac_address: 02:42:72:98:65:08
      plain:
)");
  const Service& web = p.services.at("web");
  REQUIRE(web.networks.size() == 3);
  CHECK_FALSE(web.networks.at("plain").has_value());
  const ServiceNetwork& some = *web.networks.at("some-network");
  CHECK(some.aliases == std::vector<std::string>{"alias1", "alias3"});
  CHECK(some.priority == std::optional<int>(100));
  CHECK(some.gw_priority == std::optional<int>(1));
  CHECK(some.interface_name == "eth1");
  CHECK(some.link_local_ips == std::vector<std::string>{"169.254.1.1"});
  CHECK(some.driver_opts == StringMap{{"a", "b"}});
  const ServiceNetwork& other = *web.networks.at("other-network");
  CHECK(other.ipv4_address == "172.16.238.10");
  CHECK(other.ipv6_address == "2001:3984:3989::10");
  CHECK(other.mac_address == "02:42:72:98:65:08");
}

TEST_CASE("normalise: depends_on conditions", "[compose][normalise][resources]") {
  Project p = Load(R"(services:
  web:
    image: a
    depends_on:
      db: {condition: service_healthy, restart: true, required: false}
      cache: {condition: service_started}
)");
  const Service& web = p.services.at("web");
  CHECK(web.depends_on.at("db").condition == "service_healthy");
  CHECK(web.depends_on.at("db").restart);
  CHECK_FALSE(web.depends_on.at("db").required);
  CHECK(web.depends_on.at("cache").condition == "service_started");
  CHECK_FALSE(web.depends_on.at("cache").restart);
  CHECK(web.depends_on.at("cache").required);
}

}  // namespace
}  // namespace baton::compose
