// x-baton.readiness and x-baton.autoscale (issue 6): read as compose reads a
// healthcheck, located errors, and the spec hash part "readiness".

#include "planner/x_baton.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "planner/spec_hash.h"
#include "tests/planner/desired_fixture.h"

namespace baton::planner {
namespace {

using namespace std::chrono_literals;
using testing::Desired;
using testing::DesiredError;
using testing::LoadCompose;
using testing::Spec;
using testing::Strings;

std::string WebWith(const std::string& x_baton, const std::string& deploy = "") {
  return "services:\n"
         "  web:\n"
         "    image: x\n" +
         deploy + "    x-baton:\n" + x_baton;
}

TEST_CASE("x-baton: readiness takes healthcheck's keys", "[planner][x-baton]") {
  DesiredState desired =
      Desired(WebWith("      readiness:\n"
                      "        test: test -e /tmp/ready\n"
                      "        interval: 2s\n"
                      "        timeout: 500ms\n"
                      "        retries: 2\n"
                      "        start_period: 1m\n"));
  const std::optional<compose::Healthcheck>& check = Spec(desired, "web").readiness;
  REQUIRE(check);
  CHECK(check->test == Strings{"CMD-SHELL", "test -e /tmp/ready"});
  CHECK(check->interval == compose::Duration(2s));
  CHECK(check->timeout == compose::Duration(500ms));
  CHECK(check->retries == 2u);
  CHECK(check->start_period == compose::Duration(1min));
}

TEST_CASE("x-baton: readiness test as a list keeps compose's form", "[planner][x-baton]") {
  DesiredState desired = Desired(WebWith("      readiness: {test: [CMD, cat, /ok]}\n"));
  const std::optional<compose::Healthcheck>& check = Spec(desired, "web").readiness;
  REQUIRE(check);
  CHECK(check->test == Strings{"CMD", "cat", "/ok"});
  CHECK_FALSE(check->interval);
}

TEST_CASE("x-baton: readiness without test is located", "[planner][x-baton]") {
  CHECK(DesiredError(WebWith("      readiness:\n        interval: 2s\n")) ==
        "compose.yaml:6:9: services.web.x-baton.readiness: missing key \"test\"");
}

TEST_CASE("x-baton: readiness NONE is refused", "[planner][x-baton]") {
  CHECK(DesiredError(WebWith("      readiness: {test: [NONE]}\n")) ==
        "compose.yaml:5:25: services.web.x-baton.readiness.test: must run a command: "
        "[\"CMD\", ...] or [\"CMD-SHELL\", script]");
}

TEST_CASE("x-baton: a readiness duration that does not parse is located", "[planner][x-baton]") {
  CHECK(DesiredError(WebWith("      readiness:\n        test: 'true'\n        interval: soon\n")) ==
        "compose.yaml:7:19: services.web.x-baton.readiness.interval: invalid duration \"soon\"");
}

TEST_CASE("x-baton: an unknown readiness key is located", "[planner][x-baton]") {
  CHECK(DesiredError(WebWith("      readiness:\n        test: 'true'\n        disable: true\n")) ==
        "compose.yaml:7:9: services.web.x-baton.readiness.disable: unknown key \"disable\", "
        "expected test, interval, timeout, retries or start_period");
}

TEST_CASE("x-baton: autoscale reads min, max, cpu and stabilization", "[planner][x-baton]") {
  DesiredState desired =
      Desired(WebWith("      autoscale: {min: 2, max: 10, cpu: 70, stabilization: 1m}\n",
                      "    deploy: {resources: {reservations: {cpus: '0.5'}, "
                      "limits: {cpus: '2'}}}\n"));
  const std::optional<AutoscalePolicy>& policy = Spec(desired, "web").autoscale;
  REQUIRE(policy);
  CHECK(policy->min == 2);
  CHECK(policy->max == 10);
  CHECK(policy->cpu_percent == 70);
  CHECK(policy->base_cpus == 0.5);
  CHECK(policy->stabilization == 1min);
}

TEST_CASE("x-baton: autoscale takes the cpu limit without a reservation", "[planner][x-baton]") {
  DesiredState desired = Desired(WebWith("      autoscale: {max: 3, cpu: 50}\n",
                                         "    deploy: {resources: {limits: {cpus: '1.5'}}}\n"));
  const std::optional<AutoscalePolicy>& policy = Spec(desired, "web").autoscale;
  REQUIRE(policy);
  CHECK(policy->min == 1);
  CHECK(policy->base_cpus == 1.5);
  CHECK(policy->stabilization == 5min);
}

TEST_CASE("x-baton: autoscale needs min <= max", "[planner][x-baton]") {
  CHECK(DesiredError(WebWith("      autoscale:\n        min: 4\n        max: 2\n        cpu: 70\n",
                             "    deploy: {resources: {limits: {cpus: '1'}}}\n")) ==
        "compose.yaml:8:14: services.web.x-baton.autoscale.max: must be at least min (4)");
}

TEST_CASE("x-baton: autoscale counts stay within 1 and 256", "[planner][x-baton]") {
  CHECK(DesiredError(WebWith("      autoscale:\n        max: 300\n        cpu: 70\n",
                             "    deploy: {resources: {limits: {cpus: '1'}}}\n")) ==
        "compose.yaml:7:14: services.web.x-baton.autoscale.max: must be between 1 and 256");
}

TEST_CASE("x-baton: autoscale cpu must be above zero", "[planner][x-baton]") {
  CHECK(DesiredError(WebWith("      autoscale:\n        max: 3\n        cpu: 0\n",
                             "    deploy: {resources: {limits: {cpus: '1'}}}\n")) ==
        "compose.yaml:8:14: services.web.x-baton.autoscale.cpu: must be greater than 0");
}

TEST_CASE("x-baton: autoscale without reserved or limited cpus is located", "[planner][x-baton]") {
  CHECK(DesiredError(WebWith("      autoscale:\n        max: 3\n        cpu: 70\n")) ==
        "compose.yaml:7:14: services.web.x-baton.autoscale.cpu: needs "
        "deploy.resources.reservations.cpus or limits.cpus, the share the percentage is of");
}

TEST_CASE("x-baton: autoscale without max is located", "[planner][x-baton]") {
  CHECK(DesiredError(WebWith("      autoscale: {cpu: 70}\n",
                             "    deploy: {resources: {limits: {cpus: '1'}}}\n")) ==
        "compose.yaml:6:18: services.web.x-baton.autoscale: missing key \"max\"");
}

TEST_CASE("x-baton: restart and liveness come from compose as written", "[planner][x-baton]") {
  DesiredState desired = Desired(
      "services:\n"
      "  web:\n"
      "    image: x\n"
      "    restart: on-failure:3\n"
      "    healthcheck: {test: curl -f localhost}\n"
      "  off: {image: x, healthcheck: {test: [NONE]}}\n"
      "  disabled: {image: x, healthcheck: {disable: true}}\n"
      "  image_check: {image: x, healthcheck: {interval: 5s}}\n"
      "  bare: {image: x}\n");
  CHECK(Spec(desired, "web").restart == "on-failure:3");
  CHECK(Spec(desired, "web").liveness);
  CHECK_FALSE(Spec(desired, "off").liveness);
  CHECK_FALSE(Spec(desired, "disabled").liveness);
  CHECK(Spec(desired, "image_check").liveness);
  CHECK(Spec(desired, "bare").restart.empty());
  CHECK_FALSE(Spec(desired, "bare").liveness);
  CHECK_FALSE(Spec(desired, "bare").readiness);
}

TEST_CASE("x-baton: readiness is the hash part readiness and autoscale is not hashed",
          "[planner][x-baton]") {
  std::string deploy = "    deploy: {resources: {limits: {cpus: '1'}}}\n";
  const ServiceSpec plain =
      Spec(Desired(WebWith("      autoscale: {max: 2, cpu: 50}\n", deploy)), "web");
  const ServiceSpec probed =
      Spec(Desired(WebWith("      readiness: {test: 'true', interval: 30s}\n", deploy)), "web");
  const ServiceSpec same = Spec(
      Desired(WebWith("      readiness: {test: [CMD-SHELL, 'true'], interval: 30000ms}\n", deploy)),
      "web");
  CHECK_FALSE(plain.part_hashes.count("readiness"));
  CHECK(plain.spec_hash == Spec(Desired(WebWith("", deploy)), "web").spec_hash);
  CHECK(probed.part_hashes.count("readiness"));
  CHECK(probed.spec_hash != plain.spec_hash);
  CHECK(same.spec_hash == probed.spec_hash);
}

// Pinned before readiness was hashed: a service without it must keep its
// hash, or every running replica would be recreated by the upgrade.
TEST_CASE("x-baton: a corpus service without readiness hashes as before", "[planner][x-baton]") {
  std::filesystem::path file = std::filesystem::path(BATON_SOURCE_DIR) / ".." / "shared" /
                               "corpus" / "awesome-compose" / "flask-redis" / "compose.yaml";
  std::ifstream in(file);
  if (!in) {
    WARN("skipped: " << file.string() << " is absent (the shared compose corpus)");
    return;
  }
  std::stringstream text;
  text << in.rdbuf();
  compose::Project project = LoadCompose(text.str());
  CHECK(HashService(project.services.at("redis")).hash ==
        "d3d43003bcfc6dd2b891e10be8d67b5413e129ce12d673e141f119ca251b163a");
  CHECK(HashService(project.services.at("web")).hash ==
        "22fd8e463b3687fdaadea204ede92c963548959361d71935075f2dd59e3ca7a2");
}

}  // namespace
}  // namespace baton::planner
