// Validate: cross-references, cycles and service combinations, with the
// marks normalisation kept.

#include <catch2/catch.hpp>

#include <filesystem>

#include "base/file_system.h"
#include "compose/canonical.h"
#include "compose/validate.h"
#include "tests/compose/normalise_fixture.h"

namespace baton::compose {
namespace {

using testing::DefaultsOptions;
using testing::NormaliseYaml;
using testing::PlainOptions;

Project Load(std::string_view yaml, const NormaliseOptions& options = PlainOptions()) {
  auto project = NormaliseYaml(yaml, options);
  if (!project.ok()) FAIL(project.error().ToString());
  return *project;
}

std::string ValidateError(const Project& project) {
  Status status = Validate(project);
  if (status.ok()) return "";
  CHECK(status.error().kind == Error::Kind::kInvalid);
  return status.error().ToString();
}

std::string ValidateYaml(std::string_view yaml, const NormaliseOptions& options = PlainOptions()) {
  return ValidateError(Load(yaml, options));
}

TEST_CASE("validate: a consistent project passes", "[compose][validate]") {
  CHECK(ValidateYaml(R"(services:
  web:
    image: nginx
    networks: {front: null}
    volumes:
      - {type: volume, source: data, target: /data}
      - {type: volume, target: /anonymous}
      - {type: bind, source: /srv, target: /srv}
    secrets: [{source: token}]
    configs: [{source: conf}]
    depends_on:
      db: {condition: service_healthy, required: true}
  db:
    build: {context: /proj/db, secrets: [{source: token}]}
networks:
  front:
volumes:
  data:
secrets:
  token: {file: /proj/token}
configs:
  conf: {content: x}
)",
                     DefaultsOptions()) == "");
}

TEST_CASE("validate: the default network added by normalisation is defined",
          "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web: {image: a}\n", DefaultsOptions()) == "");
}

TEST_CASE("validate: an undefined network is located at its reference", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    networks:\n      back:\n") ==
        "compose.yaml:5:7: services.web.networks.back: "
        "service \"web\" refers to undefined network back");
}

TEST_CASE("validate: an explicit default network needs a definition without defaults",
          "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    networks: {default: null}\n") ==
        "compose.yaml:4:16: services.web.networks.default: "
        "service \"web\" refers to undefined network default");
}

TEST_CASE("validate: an undefined named volume is located", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    volumes:\n"
                     "      - {type: volume, source: data, target: /d}\n") ==
        "compose.yaml:5:9: services.web.volumes[0]: "
        "service \"web\" refers to undefined volume data");
}

TEST_CASE("validate: an undefined secret is located", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    secrets:\n      - source: token\n") ==
        "compose.yaml:5:9: services.web.secrets[0]: "
        "service \"web\" refers to undefined secret token");
}

TEST_CASE("validate: an undefined config is located", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    configs:\n      - source: conf\n") ==
        "compose.yaml:5:9: services.web.configs[0]: "
        "service \"web\" refers to undefined config conf");
}

TEST_CASE("validate: an undefined build secret is located", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    build:\n      context: /p\n      secrets:\n"
                     "        - source: npmrc\n") ==
        "compose.yaml:6:11: services.web.build.secrets[0]: "
        "service \"web\" refers to undefined build secret npmrc");
}

TEST_CASE("validate: depends_on an undefined service is located", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    depends_on:\n"
                     "      db: {condition: service_started, required: true}\n") ==
        "compose.yaml:5:7: services.web.depends_on.db: "
        "service \"web\" depends on undefined service \"db\"");
}

TEST_CASE("validate: an optional dependency may be disabled by profiles", "[compose][validate]") {
  Project project = Load(R"(services:
  web:
    image: a
    depends_on:
      debug: {condition: service_started, required: false}
  debug: {image: b, profiles: [debug]}
)");
  project.disabled_services["debug"] = project.services.at("debug");
  project.services.erase("debug");
  CHECK(ValidateError(project) == "");
}

TEST_CASE("validate: a required dependency may not be disabled", "[compose][validate]") {
  Project project = Load(R"(services:
  web:
    image: a
    depends_on:
      debug: {condition: service_started, required: true}
  debug: {image: b, profiles: [debug]}
)");
  project.disabled_services["debug"] = project.services.at("debug");
  project.services.erase("debug");
  CHECK(ValidateError(project) ==
        "compose.yaml:5:7: services.web.depends_on.debug: "
        "service \"web\" depends on undefined service \"debug\"");
}

constexpr const char* kCycleYaml = R"(services:
  service1:
    image: service1
    depends_on:
      service2: {condition: service_started, required: true}
  service2:
    image: service2
    depends_on:
      service3: {condition: service_started, required: true}
  service3:
    image: service3
    depends_on:
      service1: {condition: service_started, required: true}
)";

TEST_CASE("validate: a dependency cycle is named as compose names it", "[compose][validate]") {
  CHECK(ValidateYaml(kCycleYaml) ==
        "compose.yaml:4:5: services.service1.depends_on: "
        "dependency cycle detected: service1 -> service2 -> service3 -> service1");
}

TEST_CASE("validate: a service depending on itself is a cycle", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  a:\n    image: a\n    depends_on:\n"
                     "      a: {condition: service_started, required: true}\n") ==
        "compose.yaml:4:5: services.a.depends_on: dependency cycle detected: a -> a");
}

TEST_CASE("validate: a cycle below an acyclic start names only the cycle", "[compose][validate]") {
  CHECK(ValidateYaml(R"(services:
  a: {image: x, depends_on: {b: {condition: service_started}}}
  b: {image: x, depends_on: {c: {condition: service_started}}}
  c: {image: x, depends_on: {b: {condition: service_started}}}
)") == "compose.yaml:3:17: services.b.depends_on: dependency cycle detected: b -> c -> b");
}

TEST_CASE("validate: a diamond of dependencies is no cycle", "[compose][validate]") {
  CHECK(ValidateYaml(R"(services:
  a: {image: x, depends_on: {b: {condition: service_started}, c: {condition: service_started}}}
  b: {image: x, depends_on: {d: {condition: service_started}}}
  c: {image: x, depends_on: {d: {condition: service_started}}}
  d: {image: x}
)") == "");
}

TEST_CASE("validate: a long dependency chain is checked without recursion",
          "[compose][validate]") {
  Project project;
  for (int i = 0; i < 20000; ++i) {
    Service s;
    s.name = "s" + std::to_string(i);
    s.image = "x";
    if (i > 0) s.depends_on["s" + std::to_string(i - 1)] = DependsOn{};
    project.services[s.name] = s;
  }
  CHECK(ValidateError(project) == "");
  project.services["s0"].depends_on["s19999"] = DependsOn{};
  CHECK_THAT(ValidateError(project), Catch::StartsWith("services.s0.depends_on: dependency cycle "
                                                       "detected: s0 -> s19999 -> s19998"));
}

// compose-go's own fixtures, through the canonical stage, give compose-go's
// own messages.
std::string CorpusError(const std::string& fixture) {
  namespace fs = std::filesystem;
  fs::path file = fs::path(BATON_SOURCE_DIR) / ".." / "shared" / "corpus" / "compose-go" /
                  "loader" / "testdata" / fixture;
  if (!fs::exists(file)) return "skipped: " + file.string() + " is absent";
  RealFileSystem files;
  auto text = files.Read(file);
  REQUIRE(text.ok());
  auto root = ParseYaml(*text, fixture);
  REQUIRE(root.ok());
  REQUIRE(Canonicalise(*root).ok());
  auto project = Normalise(*root, DefaultsOptions());
  REQUIRE(project.ok());
  return ValidateError(*project);
}

TEST_CASE("validate: compose-go's cycle fixture", "[compose][validate]") {
  std::string error = CorpusError("compose-depends-on-cycle.yaml");
  if (error.rfind("skipped", 0) == 0) WARN(error);
  else
    CHECK(error == "compose-depends-on-cycle.yaml:5:5: services.service1.depends_on: "
                   "dependency cycle detected: service1 -> service2 -> service3 -> service1");
}

TEST_CASE("validate: compose-go's self-dependency fixture", "[compose][validate]") {
  std::string error = CorpusError("compose-depends-on-self.yaml");
  if (error.rfind("skipped", 0) == 0) WARN(error);
  else
    CHECK(error == "compose-depends-on-self.yaml:5:5: services.service1.depends_on: "
                   "dependency cycle detected: service1 -> service1");
}

TEST_CASE("validate: network_mode of an undefined service is located", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    network_mode: service:vpn\n") ==
        "compose.yaml:4:5: services.web.network_mode: "
        "service \"vpn\" not found for network_mode 'service:vpn'");
}

TEST_CASE("validate: a service needs an image or a build", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    command: [sleep, \"1\"]\n") ==
        "compose.yaml:2:3: services.web: "
        "service \"web\" has neither an image nor a build context specified");
}

TEST_CASE("validate: a provider service needs no image", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  ai:\n    provider: {type: model}\n") == "");
}

TEST_CASE("validate: dockerfile and dockerfile_inline exclude each other", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    build: {context: /p, dockerfile: D, "
                     "dockerfile_inline: FROM a}\n") ==
        "compose.yaml:3:5: services.web.build: "
        "service \"web\" declares mutually exclusive dockerfile and dockerfile_inline");
}

TEST_CASE("validate: build platforms must include the platform", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    build: {context: /p, platforms: [linux/amd64]}\n"
                     "    platform: linux/arm64\n") ==
        "compose.yaml:4:5: services.web.platform: "
        "service.build.platforms must include service.platform \"linux/arm64\"");
}

TEST_CASE("validate: additional contexts must name a buildable service", "[compose][validate]") {
  CHECK(ValidateYaml(R"(services:
  web:
    build: {context: /p, additional_contexts: {base: "service:base"}}
  base: {image: alpine}
)") == "compose.yaml:3:5: services.web.build.additional_contexts.base: service \"web\" "
       "declares non-buildable service \"base\" as additional contexts base");
}

TEST_CASE("validate: network_mode and networks exclude each other", "[compose][validate]") {
  CHECK(ValidateYaml(R"(services:
  web:
    image: a
    network_mode: host
    networks: {front: null}
networks:
  front:
)") == "compose.yaml:5:5: services.web.networks: "
       "service \"web\" declares mutually exclusive network_mode and networks");
}

TEST_CASE("validate: healthcheck test must start with CMD, CMD-SHELL or NONE",
          "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    healthcheck: {test: [curl, x]}\n") ==
        "compose.yaml:4:5: services.web.healthcheck.test: "
        "healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\"");
}

TEST_CASE("validate: scale and deploy.replicas must agree", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    scale: 2\n"
                     "    deploy: {replicas: 3}\n") ==
        "compose.yaml:4:5: services.web: can't set distinct values on 'scale' and "
        "'deploy.replicas'");
}

TEST_CASE("validate: negative replicas are refused", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    deploy: {replicas: -1}\n") ==
        "compose.yaml:4:5: services.web.deploy.replicas: must be greater than or equal to 0");
}

TEST_CASE("validate: container_name allows one replica only", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    container_name: web\n"
                     "    deploy: {replicas: 2}\n") ==
        "compose.yaml:4:5: services.web.container_name: can't set container_name and "
        "deploy.replicas as container name must be unique");
}

TEST_CASE("validate: two mounts on one target are refused", "[compose][validate]") {
  CHECK(ValidateYaml("services:\n  web:\n    image: a\n    tmpfs: [\"/data:size=1m\"]\n"
                     "    volumes:\n      - {type: bind, source: /a, target: /data}\n") ==
        "compose.yaml:6:9: services.web.volumes[0]: "
        "target /data already mounted as services.web.tmpfs[0]");
}

TEST_CASE("validate: a secret needs a file or an environment variable", "[compose][validate]") {
  CHECK(ValidateYaml("secrets:\n  token: {labels: {a: b}}\n") ==
        "compose.yaml:2:3: secrets.token: secret \"token\" must declare either file or "
        "environment");
}

TEST_CASE("validate: of several errors the first written is returned", "[compose][validate]") {
  CHECK(ValidateYaml(R"(services:
  zeta:
    image: a
    networks: {back: null}
  alpha:
    image: a
    secrets: [{source: missing}]
)") == "compose.yaml:4:16: services.zeta.networks.back: "
       "service \"zeta\" refers to undefined network back");
}

TEST_CASE("validate: errors follow the order of the compose files", "[compose][validate]") {
  Project project = Load("services:\n  web:\n    image: a\n    networks: {back: null}\n");
  project.services.at("web").marks["networks.back"].file =
      std::make_shared<const std::string>("/p/compose.override.yaml");
  project.services.at("web").marks["networks.back"].line = 1;
  Service db;
  db.name = "db";
  db.mark = {std::make_shared<const std::string>("/p/compose.yaml"), 40, 3};
  project.services["db"] = db;
  project.compose_files = {"/p/compose.yaml", "/p/compose.override.yaml"};
  CHECK(ValidateError(project) == "/p/compose.yaml:40:3: services.db: "
                                  "service \"db\" has neither an image nor a build context "
                                  "specified");
}

TEST_CASE("validate: marks relative to the working directory follow the file order",
          "[compose][validate]") {
  Project project;
  Service a;
  a.name = "a";
  a.mark = {std::make_shared<const std::string>("a.override.yaml"), 1, 3};
  Service b;
  b.name = "b";
  b.mark = {std::make_shared<const std::string>("z.yaml"), 90, 3};
  project.services = {{"a", a}, {"b", b}};
  project.compose_files = {"/p/z.yaml", "/p/a.override.yaml"};
  CHECK(ValidateError(project) == "z.yaml:90:3: services.b: "
                                  "service \"b\" has neither an image nor a build context "
                                  "specified");
}

}  // namespace
}  // namespace baton::compose
