// Normalisation of a service's plain keys, the keys kept untyped, marks and
// located errors.

#include <catch2/catch.hpp>

#include "tests/compose/normalise_fixture.h"

namespace baton::compose {
namespace {

using std::chrono::seconds;
using testing::NormaliseError;
using testing::NormaliseYaml;
using testing::Web;

TEST_CASE("normalise: plain service keys are typed", "[compose][normalise]") {
  auto project = NormaliseYaml(R"(services:
  web:
    image: nginx:1.25
    container_name: shop-web
    hostname: web
    user: "1000:1000"
    working_dir: /srv
    restart: unless-stopped
    stop_signal: SIGINT
    pull_policy: always
    platform: linux/arm64
    network_mode: host
    profiles: [debug, ops]
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    dns: [1.1.1.1]
    expose: ["80", "443"]
    tmpfs: [/run]
    extra_hosts: ["db=10.0.0.2"]
    privileged: true
    read_only: false
    init: yes
    scale: 3
    sysctls: {net.core.somaxconn: "1024"}
)");
  const Service web = Web(project);
  CHECK(web.name == "web");
  CHECK(web.image == "nginx:1.25");
  CHECK(web.container_name == "shop-web");
  CHECK(web.hostname == "web");
  CHECK(web.user == "1000:1000");
  CHECK(web.working_dir == "/srv");
  CHECK(web.restart == "unless-stopped");
  CHECK(web.stop_signal == "SIGINT");
  CHECK(web.pull_policy == "always");
  CHECK(web.platform == "linux/arm64");
  CHECK(web.network_mode == "host");
  CHECK(web.profiles == std::vector<std::string>{"debug", "ops"});
  CHECK(web.cap_add == std::vector<std::string>{"NET_ADMIN"});
  CHECK(web.cap_drop == std::vector<std::string>{"ALL"});
  CHECK(web.dns == std::vector<std::string>{"1.1.1.1"});
  CHECK(web.expose == std::vector<std::string>{"80", "443"});
  CHECK(web.tmpfs == std::vector<std::string>{"/run"});
  CHECK(web.extra_hosts == std::vector<std::string>{"db=10.0.0.2"});
  CHECK(web.privileged == std::optional<bool>(true));
  CHECK(web.read_only == std::optional<bool>(false));
  CHECK(web.init == std::optional<bool>(true));
  CHECK(web.scale == std::optional<int>(3));
  CHECK(web.sysctls == StringMap{{"net.core.somaxconn", "1024"}});
}

TEST_CASE("normalise: project name and directory come from the options", "[compose][normalise]") {
  auto project = NormaliseYaml("name: ignored\nservices:\n  web:\n    image: nginx\n");
  REQUIRE(project.ok());
  CHECK(project->name == "shop");
  CHECK(project->working_dir == "/proj");
}

TEST_CASE("normalise: unset keys stay unset", "[compose][normalise]") {
  const Service web = Web(NormaliseYaml("services:\n  web:\n    image: nginx\n"));
  CHECK_FALSE(web.command.has_value());
  CHECK_FALSE(web.entrypoint.has_value());
  CHECK_FALSE(web.build.has_value());
  CHECK_FALSE(web.healthcheck.has_value());
  CHECK_FALSE(web.deploy.has_value());
  CHECK_FALSE(web.privileged.has_value());
  CHECK_FALSE(web.stop_grace_period.has_value());
  CHECK(web.networks.empty());
}

TEST_CASE("normalise: an empty command differs from no command", "[compose][normalise]") {
  const Service web = Web(NormaliseYaml(R"(services:
  web:
    image: nginx
    command: []
    entrypoint: [/bin/sh, -c]
)"));
  CHECK(web.command == std::optional<std::vector<std::string>>(std::vector<std::string>{}));
  CHECK(web.entrypoint == std::optional<std::vector<std::string>>({"/bin/sh", "-c"}));
}

TEST_CASE("normalise: a null command is no command", "[compose][normalise]") {
  const Service web = Web(NormaliseYaml("services:\n  web:\n    image: a\n    command: null\n"));
  CHECK_FALSE(web.command.has_value());
}

TEST_CASE("normalise: stop_grace_period is a duration", "[compose][normalise]") {
  const Service& web =
      Web(NormaliseYaml("services:\n  web:\n    image: a\n    stop_grace_period: 1m30s\n"));
  CHECK(web.stop_grace_period == std::optional<Duration>(seconds(90)));
}

TEST_CASE("normalise: a bad duration is located", "[compose][normalise]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    stop_grace_period: ten\n") ==
        "compose.yaml:4:24: services.web.stop_grace_period: invalid duration \"ten\"");
}

TEST_CASE("normalise: healthcheck durations and retries", "[compose][normalise]") {
  const Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    healthcheck:
      test: [CMD-SHELL, curl -f localhost]
      interval: 10s
      timeout: 1s
      start_period: 15s
      start_interval: 5s
      retries: 5
)"));
  REQUIRE(web.healthcheck.has_value());
  const Healthcheck& h = *web.healthcheck;
  CHECK(h.test == std::vector<std::string>{"CMD-SHELL", "curl -f localhost"});
  CHECK(h.interval == std::optional<Duration>(seconds(10)));
  CHECK(h.timeout == std::optional<Duration>(seconds(1)));
  CHECK(h.start_period == std::optional<Duration>(seconds(15)));
  CHECK(h.start_interval == std::optional<Duration>(seconds(5)));
  CHECK(h.retries == std::optional<uint64_t>(5));
  CHECK_FALSE(h.disable);
}

TEST_CASE("normalise: negative healthcheck retries are located", "[compose][normalise]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    healthcheck:\n      retries: -1\n") ==
        "compose.yaml:5:16: services.web.healthcheck.retries: invalid non-negative integer \"-1\"");
}

TEST_CASE("normalise: ulimits single and soft/hard", "[compose][normalise]") {
  const Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    ulimits:
      nproc: 65535
      nofile: {soft: 20000, hard: 40000}
)"));
  REQUIRE(web.ulimits.size() == 2);
  CHECK(web.ulimits.at("nproc").single == std::optional<int64_t>(65535));
  CHECK_FALSE(web.ulimits.at("nofile").single.has_value());
  CHECK(web.ulimits.at("nofile").soft == 20000);
  CHECK(web.ulimits.at("nofile").hard == 40000);
}

TEST_CASE("normalise: logging driver and options", "[compose][normalise]") {
  const Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    logging:
      driver: syslog
      options: {syslog-address: "tcp://192.168.0.42:123"}
)"));
  REQUIRE(web.logging.has_value());
  CHECK(web.logging->driver == "syslog");
  CHECK(web.logging->options == StringMap{{"syslog-address", "tcp://192.168.0.42:123"}});
}

TEST_CASE("normalise: labels read null as empty", "[compose][normalise]") {
  const Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    labels:
      com.example.number: 42
      com.example.empty:
)"));
  CHECK(web.labels == StringMap{{"com.example.empty", ""}, {"com.example.number", "42"}});
}

TEST_CASE("normalise: untyped keys are kept in other, x- keys in extensions",
          "[compose][normalise]") {
  const Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    annotations: {com.example.foo: bar}
    stdin_open: true
    x-foo: bar
)"));
  REQUIRE(web.other.IsMapping());
  REQUIRE(web.other.entries().size() == 2);
  CHECK(web.other.entries()[0].key == "annotations");
  CHECK(web.other.Find("annotations")->Find("com.example.foo")->scalar() == "bar");
  CHECK(web.other.Find("stdin_open")->scalar() == "true");
  REQUIRE(web.extensions.entries().size() == 1);
  CHECK(web.extensions.Find("x-foo")->scalar() == "bar");
}

TEST_CASE("normalise: byte sizes kept in other become byte counts", "[compose][normalise]") {
  const Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    mem_limit: 50M
    shm_size: 1g
    memswap_limit: -1
)"));
  CHECK(web.other.Find("mem_limit")->scalar() == "52428800");
  CHECK(web.other.Find("shm_size")->scalar() == "1073741824");
  CHECK(web.other.Find("memswap_limit")->scalar() == "-1");
}

TEST_CASE("normalise: a bad byte size kept in other is located", "[compose][normalise]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    mem_limit: lots\n") ==
        "compose.yaml:4:16: services.web.mem_limit: invalid byte size \"lots\"");
}

TEST_CASE("normalise: bad cpus kept in other is located", "[compose][normalise]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    cpus: half\n") ==
        "compose.yaml:4:11: services.web.cpus: invalid number \"half\"");
}

TEST_CASE("normalise: the service and each key keep their marks", "[compose][normalise]") {
  const Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    networks:
      front:
    depends_on:
      db: {condition: service_started, required: true}
)"));
  CHECK(web.mark.ToString() == "compose.yaml:2:3");
  CHECK(web.marks.at("image").ToString() == "compose.yaml:3:5");
  CHECK(web.marks.at("networks").ToString() == "compose.yaml:4:5");
  CHECK(web.marks.at("networks.front").ToString() == "compose.yaml:5:7");
  CHECK(web.marks.at("depends_on.db").ToString() == "compose.yaml:7:7");
}

TEST_CASE("normalise: a wrongly shaped key is located", "[compose][normalise]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    cap_add: ALL\n") ==
        "compose.yaml:4:14: services.web.cap_add: expected a sequence, got a string");
}

TEST_CASE("normalise: a non-boolean privileged is located", "[compose][normalise]") {
  CHECK(NormaliseError("services:\n  web:\n    image: a\n    privileged: maybe\n") ==
        "compose.yaml:4:17: services.web.privileged: invalid boolean \"maybe\"");
}

TEST_CASE("normalise: a service that is not a mapping is located", "[compose][normalise]") {
  CHECK(NormaliseError("services:\n  web: [nginx]\n") ==
        "compose.yaml:2:8: services.web: expected a mapping, got a sequence");
}

TEST_CASE("normalise: an unknown top-level key is located", "[compose][normalise]") {
  CHECK(NormaliseError("services: {}\nservice: {}\n") ==
        "compose.yaml:2:1: service: unknown key \"service\"");
}

TEST_CASE("normalise: top-level x- keys are project extensions", "[compose][normalise]") {
  auto project = NormaliseYaml("services: {}\nx-nested: {foo: bar}\n");
  REQUIRE(project.ok());
  REQUIRE(project->extensions.Find("x-nested"));
  CHECK(project->extensions.Find("x-nested")->Find("foo")->scalar() == "bar");
}

TEST_CASE("normalise: an empty document is an empty project", "[compose][normalise]") {
  auto project = Normalise(Node::Null(), testing::PlainOptions());
  REQUIRE(project.ok());
  CHECK(project->services.empty());
}

TEST_CASE("normalise: a root that is not a mapping is refused", "[compose][normalise]") {
  auto project = Normalise(Node::Sequence(), testing::PlainOptions());
  REQUIRE_FALSE(project.ok());
  CHECK(project.error().ToString() == "expected a mapping, got a sequence");
}

}  // namespace
}  // namespace baton::compose
