// netd's status for `baton ps`: each local replica's readiness and DNS
// presence with the reason, its JSON round trip and `baton-netd status`.

#include "runtime/netd/netd_status.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace baton::netd {
namespace {

dns::Endpoint Endpoint(const std::string& network, const std::string& container, bool ready) {
  dns::Endpoint e;
  e.network = network;
  e.container = container;
  e.ready = ready;
  e.project = "shop";
  e.service = container.substr(5, container.rfind('-') - 5);
  e.slot = container.back() - '0';
  return e;
}

EngineState Engine() {
  EngineState engine;
  engine.endpoints = {
      Endpoint("shop_back", "shop-api-1", true), Endpoint("shop_back", "shop-web-1", true),
      Endpoint("shop_front", "shop-web-1", true), Endpoint("shop_back", "shop-web-2", true),
      Endpoint("shop_back", "shop-db-1", false)};
  return engine;
}

// As the daemon announces them: web-2's probe fails, api-1 is fenced.
std::vector<dns::Endpoint> Local() {
  std::vector<dns::Endpoint> local = Engine().endpoints;
  for (dns::Endpoint& e : local)
    if (e.container == "shop-web-2" || e.container == "shop-api-1") e.ready = false;
  return local;
}

ProbeReasons Probes() { return {{"shop-web-1", ""}, {"shop-web-2", "readiness failing: exit 1"}}; }

std::string Temporary(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("netd-status-test-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

TEST_CASE("netd status: one entry per container with why it is not in dns", "[netd][status]") {
  NetdStatus status = MakeNetdStatus("lab1", Engine(), Local(), Probes());
  CHECK(status.host == "lab1");
  REQUIRE(status.replicas.size() == 4);
  CHECK(status.replicas[0] ==
        ReplicaStatus{"shop-api-1", "shop", "api", 1, false, true, false,
                      "fenced: the newest desired-state record places this slot elsewhere or "
                      "replaces its spec"});
  CHECK(status.replicas[1] ==
        ReplicaStatus{"shop-db-1", "shop", "db", 1, false, false, false, "unhealthy or starting"});
  CHECK(status.replicas[2] == ReplicaStatus{"shop-web-1", "shop", "web", 1, true, true, true, ""});
  CHECK(status.replicas[3] == ReplicaStatus{"shop-web-2", "shop", "web", 2, true, false, false,
                                            "readiness failing: exit 1"});
}

TEST_CASE("netd status: json round-trips and ignores unknown members", "[netd][status]") {
  NetdStatus status = MakeNetdStatus("lab1", Engine(), Local(), Probes());
  auto parsed = ParseNetdStatus(NetdStatusJson(status));
  REQUIRE(parsed.ok());
  CHECK(*parsed == status);
  auto newer = ParseNetdStatus(
      R"({"format":2,"host":"lab2","since":"x","replicas":[{"container":"a","extra":1}]})");
  REQUIRE(newer.ok());
  CHECK(newer->format == 2);
  CHECK(newer->replicas.size() == 1);
}

TEST_CASE("netd status: a malformed status is located", "[netd][status]") {
  auto parsed = ParseNetdStatus(R"({"host":"lab1","replicas":[{"container":"a","ready":"yes"}]})");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().ToString() == "netd status: replicas[0].ready: expected true or false");
  CHECK(ParseNetdStatus("usage: baton-netd").error().ToString() == "netd status: not JSON");
}

TEST_CASE("netd status: the file is written on change and printed as json", "[netd][status]") {
  std::string path = Temporary("print");
  StatusFile file(path);
  NetdStatus status = MakeNetdStatus("lab1", Engine(), Local(), Probes());
  REQUIRE(file.Write(status).ok());
  std::filesystem::remove(path);
  REQUIRE(file.Write(status).ok());  // unchanged: not written again
  CHECK_FALSE(std::filesystem::exists(path));
  status.replicas.pop_back();
  REQUIRE(file.Write(status).ok());
  std::string out_path = Temporary("out");
  std::FILE* out = std::fopen(out_path.c_str(), "w");
  REQUIRE(out != nullptr);
  CHECK(PrintStatus(path, true, out, stderr) == 0);
  std::fclose(out);
  std::ifstream printed(out_path);
  std::string line;
  std::getline(printed, line);
  CHECK(ParseNetdStatus(line).ok());
  CHECK(*ParseNetdStatus(line) == status);
  std::filesystem::remove(path);
  std::filesystem::remove(out_path);
}

TEST_CASE("netd status: the table names each replica's readiness and dns", "[netd][status]") {
  std::string path = Temporary("table");
  NetdStatus status = MakeNetdStatus("lab1", Engine(), Local(), Probes());
  status.replicas.erase(status.replicas.begin(), status.replicas.begin() + 2);
  REQUIRE(StatusFile(path).Write(status).ok());
  std::string out_path = Temporary("table-out");
  std::FILE* out = std::fopen(out_path.c_str(), "w");
  REQUIRE(out != nullptr);
  CHECK(PrintStatus(path, false, out, stderr) == 0);
  std::fclose(out);
  std::ifstream printed(out_path);
  std::string text((std::istreambuf_iterator<char>(printed)), std::istreambuf_iterator<char>());
  CHECK(text ==
        "netd on lab1: 2 local replicas\n"
        "shop-web-1  ready yes  dns yes\n"
        "shop-web-2  ready no  dns no  readiness failing: exit 1\n");
  std::filesystem::remove(path);
  std::filesystem::remove(out_path);
}

TEST_CASE("netd status: printing before the daemon wrote it fails", "[netd][status]") {
  std::string err_path = Temporary("err");
  std::FILE* err = std::fopen(err_path.c_str(), "w");
  REQUIRE(err != nullptr);
  CHECK(PrintStatus(Temporary("missing"), true, stdout, err) == 1);
  std::fclose(err);
  std::ifstream text(err_path);
  std::string line;
  std::getline(text, line);
  CHECK(line.rfind("netd has not written its status yet (", 0) == 0);
  std::filesystem::remove(err_path);
}

}  // namespace
}  // namespace baton::netd
