// `baton ps` output: every container sorted by service and slot, ages, and
// a line for each unreachable host.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/ps_render.h"

namespace baton::cli {
namespace {

using planner::ActualContainer;

constexpr std::time_t kNow = 1'800'000'000;  // 2027-01-15T08:00:00Z

ActualContainer Container(const std::string& service, int slot, const std::string& state) {
  ActualContainer c;
  c.service = service;
  c.slot = slot;
  c.name = "shop-" + service + "-" + std::to_string(slot);
  c.id = "id-" + c.name;
  c.state = state;
  c.created = "2027-01-15T07:00:00.123456789Z";
  c.started_at = "2027-01-15T07:59:30.5Z";
  return c;
}

planner::ActualState Shop() {
  planner::ActualState actual;
  actual.project = "shop";
  actual.hosts.resize(3);
  actual.hosts[0].name = "lab1";
  actual.hosts[0].reachable = true;
  ActualContainer web2 = Container("web", 2, "running");
  web2.ports = {"0.0.0.0:8080->80/tcp"};
  ActualContainer migrate = Container("migrate", 1, "exited");
  migrate.exit_code = 0;
  actual.hosts[0].containers = {migrate, web2};
  actual.hosts[1].name = "lab2";
  actual.hosts[1].reachable = true;
  ActualContainer db = Container("db", 1, "running");
  db.health = "healthy";
  actual.hosts[1].containers = {db, Container("web", 1, "running")};
  actual.hosts[2].name = "lab3";
  actual.hosts[2].error = "host lab3: connect: no route to host";
  return actual;
}

TEST_CASE("ps output: sorted rows and unreachable hosts named", "[cli][ps]") {
  CHECK(RenderPs(Shop(), {}, kNow) ==
        "SERVICE  SLOT  CONTAINER       HOST  STATE       HEALTH"
        "   READY  PORTS                 AGE\n"
        "db       1     shop-db-1       lab2  running     healthy"
        "  -      -                     30s\n"
        "migrate  1     shop-migrate-1  lab1  exited (0)  -    "
        "    -      -                     1h\n"
        "web      1     shop-web-1      lab2  running     -    "
        "    -      -                     30s\n"
        "web      2     shop-web-2      lab1  running     -    "
        "    -      0.0.0.0:8080->80/tcp  30s\n"
        "lab3  unreachable: host lab3: connect: no route to host\n");
}

TEST_CASE("ps output: ages in the largest whole unit", "[cli][ps]") {
  CHECK(Age("2027-01-15T07:59:55Z", kNow) == "5s");
  CHECK(Age("2027-01-15T07:45:00Z", kNow) == "15m");
  CHECK(Age("2027-01-14T08:00:00Z", kNow) == "24h");
  CHECK(Age("2027-01-10T08:00:00Z", kNow) == "5d");
  CHECK(Age("2027-01-15T09:00:00+01:00", kNow) == "0s");
  CHECK(Age("0001-01-01T00:00:00Z", kNow) == "-");
  CHECK(Age("garbage", kNow) == "-");
}

TEST_CASE("ps output: json lists containers and unreachable hosts", "[cli][ps]") {
  nlohmann::json json = nlohmann::json::parse(RenderPsJson(Shop(), {}, kNow));
  CHECK(json["project"] == "shop");
  REQUIRE(json["containers"].size() == 4);
  CHECK(json["containers"][1]["name"] == "shop-migrate-1");
  CHECK(json["containers"][1]["host"] == "lab1");
  CHECK(json["containers"][1]["exit_code"] == 0);
  CHECK(json["containers"][3]["ports"] == nlohmann::json::array({"0.0.0.0:8080->80/tcp"}));
  CHECK(json["unreachable_hosts"] == nlohmann::json::parse(R"([{"host": "lab3",
                                   "error": "host lab3: connect: no route to host"}])"));
}

}  // namespace
}  // namespace baton::cli
