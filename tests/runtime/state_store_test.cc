// The desired-state store against fake engines: which record a read picks,
// and how a write counts its hosts and handles a taken generation.

#include "runtime/state_store.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "apply_fixture.h"
#include "base/sha256.h"
#include "base/tar_reader.h"
#include "base/tar_writer.h"
#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::FakeResponse;
using testing::JsonResponse;
using testing::RequestsTo;

constexpr char kList[] = "/v1.41/containers/json";

planner::DesiredRecord Record(uint64_t generation, std::string written_at) {
  planner::DesiredRecord record;
  record.project = "shop";
  record.generation = generation;
  record.written_by = "alice@laptop pid 42";
  record.written_at = std::move(written_at);
  record.scale["web"] = planner::ServiceScale{static_cast<int>(generation), 1,
                                              planner::ScaleSource::kScale, ""};
  return record;
}

// A listed record container; `sha` defaults to the payload's own.
json Summary(const std::string& id, const planner::DesiredRecord& record, std::string sha = "") {
  if (sha.empty()) sha = Sha256Hex(planner::ToJson(record));
  return {{"Id", id},
          {"Names", {"/baton-state-shop-" + std::to_string(record.generation)}},
          {"Image", "baton/lock:1"},
          {"State", "created"},
          {"Labels",
           {{"baton.role", "state"},
            {"baton.state-of", "shop"},
            {"baton.generation", std::to_string(record.generation)},
            {"baton.state-sha256", sha},
            {"baton.written-at", record.written_at}}}};
}

// The engine answers GET archive of `id` with the record's payload file.
void Holds(FakeDockerServer& server, const std::string& id, const planner::DesiredRecord& record) {
  TarWriter tar;
  REQUIRE(tar.AddFile("desired.json", planner::ToJson(record), 0644).ok());
  FakeResponse response;
  response.content_type = "application/x-tar";
  response.body = tar.Finish();
  server.On("GET", "/v1.41/containers/" + id + "/archive", response);
}

// An engine that has the lock image, creates `id`, and takes its file.
void Writable(FakeDockerServer& server, const std::string& id) {
  server.On("GET", "/v1.41/images/baton%2Flock%3A1/json", JsonResponse("{\"Id\":\"sha256:l\"}"));
  server.On("POST", "/v1.41/containers/create", JsonResponse("{\"Id\":\"" + id + "\"}"));
  server.On("PUT", "/v1.41/containers/" + id + "/archive", JsonResponse(""));
  server.On("DELETE", "/v1.41/containers/" + id, JsonResponse(""));
}

TEST_CASE("state: the newest complete record wins", "[runtime][state]") {
  FakeDockerServer one;
  planner::DesiredRecord old = Record(2, "2026-11-29T05:00:00Z");
  planner::DesiredRecord newest = Record(3, "2026-11-29T05:01:00Z");
  one.On("GET", kList, JsonResponse(json::array({Summary("r2", old), Summary("r3", newest)}).dump()));
  Holds(one, "r2", old);
  Holds(one, "r3", newest);
  HostPool pool = FakePool({{"lab1", &one}});
  auto stored = ReadDesiredState(pool, "shop");
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->record.generation == 3);
  CHECK((*stored)->record.scale == newest.scale);
  CHECK((*stored)->sha256 == Sha256Hex(planner::ToJson(newest)));
  CHECK((*stored)->holders == std::vector<std::string>{"lab1"});
  CHECK_FALSE((*stored)->conflict);
}

TEST_CASE("state: a record whose file sha differs is skipped", "[runtime][state]") {
  FakeDockerServer one, two;
  planner::DesiredRecord old = Record(2, "2026-11-29T05:00:00Z");
  planner::DesiredRecord torn = Record(3, "2026-11-29T05:01:00Z");
  one.On("GET", kList,
         JsonResponse(json::array({Summary("r2", old), Summary("r3", torn, std::string(64, 'f'))})
                          .dump()));
  Holds(one, "r2", old);
  Holds(one, "r3", torn);
  two.On("GET", kList, JsonResponse("[]"));
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}});
  auto stored = ReadDesiredState(pool, "shop");
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->record.generation == 2);
  CHECK((*stored)->holders == std::vector<std::string>{"lab1"});
  CHECK((*stored)->stale == std::vector<std::string>{"lab2"});
}

TEST_CASE("state: equal generations resolve by written_at then sha", "[runtime][state]") {
  FakeDockerServer one, two;
  planner::DesiredRecord early = Record(4, "2026-11-29T05:00:00Z");
  planner::DesiredRecord late = Record(4, "2026-11-29T05:00:09Z");
  one.On("GET", kList, JsonResponse(json::array({Summary("a4", early)}).dump()));
  Holds(one, "a4", early);
  two.On("GET", kList, JsonResponse(json::array({Summary("b4", late)}).dump()));
  Holds(two, "b4", late);
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}});
  auto stored = ReadDesiredState(pool, "shop");
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->record.written_at == late.written_at);
  CHECK((*stored)->holders == std::vector<std::string>{"lab2"});
  CHECK((*stored)->stale == std::vector<std::string>{"lab1"});
  CHECK((*stored)->conflict);
}

TEST_CASE("state: a project never recorded reads as none", "[runtime][state]") {
  FakeDockerServer one;
  one.On("GET", kList, JsonResponse("[]"));
  HostPool pool = FakePool({{"lab1", &one}});
  auto stored = ReadDesiredState(pool, "shop");
  REQUIRE(stored.ok());
  CHECK_FALSE(stored->has_value());
}

TEST_CASE("state: a write is the next generation, labelled, with its file", "[runtime][state]") {
  FakeDockerServer one;
  planner::DesiredRecord old = Record(6, "2026-11-29T05:00:00Z");
  one.On("GET", kList, JsonResponse(json::array({Summary("r6", old)}).dump()));
  Writable(one, "r7");
  HostPool pool = FakePool({{"lab1", &one}});
  auto generation = WriteDesiredState(pool, Record(1, "2026-11-29T05:02:00Z"));
  REQUIRE(generation.ok());
  CHECK(*generation == 7);
  auto create = one.Last("POST", "/v1.41/containers/create");
  REQUIRE(create);
  CHECK(create->target == "/v1.41/containers/create?name=baton-state-shop-7");
  json labels = json::parse(create->body)["Labels"];
  CHECK(labels["baton.role"] == "state");
  CHECK(labels["baton.generation"] == "7");
  CHECK(labels["baton.placement"] == "{}");
  auto put = one.Last("PUT", "/v1.41/containers/r7/archive");
  REQUIRE(put);
  auto files = ReadTarFiles(put->body, 1 << 20);
  REQUIRE(files.ok());
  REQUIRE(files->count("baton/desired.json"));
  CHECK(labels["baton.state-sha256"] == Sha256Hex(files->at("baton/desired.json")));
  auto written = planner::ParseDesiredRecord(files->at("baton/desired.json"));
  REQUIRE(written.ok());
  CHECK(written->generation == 7);
}

TEST_CASE("state: a write short of a majority fails naming the hosts", "[runtime][state]") {
  FakeDockerServer one, two, three;
  for (FakeDockerServer* server : {&one, &two, &three}) server->On("GET", kList, JsonResponse("[]"));
  Writable(one, "r1");
  Writable(two, "r1");
  two.On("POST", "/v1.41/containers/create",
         testing::DockerError(500, "Internal Server Error", "disk full"));
  Writable(three, "r1");
  three.On("PUT", "/v1.41/containers/r1/archive",
           testing::DockerError(500, "Internal Server Error", "disk full"));
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}, {"lab3", &three}});
  auto generation = WriteDesiredState(pool, Record(1, "2026-11-29T05:02:00Z"));
  REQUIRE_FALSE(generation.ok());
  CHECK(generation.error().kind == Error::Kind::kUnreachable);
  CHECK(generation.error().ToString() ==
        "desired state of shop written to 1 of 3 hosts; need 2 (host lab2: create "
        "baton-state-shop-1: 500 Internal Server Error: disk full)");
  // The host whose file could not be put keeps no incomplete record.
  CHECK(RequestsTo(three, "DELETE", "/v1.41/containers/r1").size() == 1);
  CHECK(WriteDesiredState(pool, Record(1, "2026-11-29T05:02:00Z"), 1).ok());
}

TEST_CASE("state: a taken generation removes the partial write and retries, then conflicts",
          "[runtime][state]") {
  FakeDockerServer one, two;
  for (FakeDockerServer* server : {&one, &two}) server->On("GET", kList, JsonResponse("[]"));
  Writable(one, "mine");
  Writable(two, "x");
  two.On("POST", "/v1.41/containers/create",
         testing::DockerError(409, "Conflict", "name baton-state-shop-1 is in use"));
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}});
  auto generation = WriteDesiredState(pool, Record(1, "2026-11-29T05:02:00Z"));
  REQUIRE_FALSE(generation.ok());
  CHECK(generation.error().kind == Error::Kind::kConflict);
  CHECK(RequestsTo(two, "POST", "/v1.41/containers/create").size() == 3);
  CHECK(RequestsTo(one, "DELETE", "/v1.41/containers/mine").size() == 3);
  CHECK(RequestsTo(one, "GET", kList).size() >= 3);  // re-read before each attempt
}

TEST_CASE("state: a write based on an older generation than the newest is refused unwritten",
          "[runtime][state]") {
  FakeDockerServer one;
  planner::DesiredRecord newer = Record(7, "2026-11-29T05:00:00Z");
  one.On("GET", kList, JsonResponse(json::array({Summary("r7", newer)}).dump()));
  Writable(one, "r8");
  HostPool pool = FakePool({{"lab1", &one}});
  auto stale = WriteDesiredState(pool, Record(6, "2026-11-29T05:02:00Z"), 0, 6);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().kind == Error::Kind::kConflict);
  CHECK(stale.error().ToString() ==
        "desired state of shop: generation 7 replaced generation 6 this change was made from");
  CHECK(RequestsTo(one, "POST", "/v1.41/containers/create").empty());
  auto current = WriteDesiredState(pool, Record(8, "2026-11-29T05:02:00Z"), 0, 7);
  REQUIRE(current.ok());
  CHECK(*current == 8);
}

TEST_CASE("state: a based write that loses its generation to another writer does not retry",
          "[runtime][state]") {
  FakeDockerServer one;
  one.On("GET", kList, JsonResponse("[]"));
  Writable(one, "x");
  one.On("POST", "/v1.41/containers/create",
         testing::DockerError(409, "Conflict", "name baton-state-shop-1 is in use"));
  HostPool pool = FakePool({{"lab1", &one}});
  auto generation = WriteDesiredState(pool, Record(1, "2026-11-29T05:02:00Z"), 0, 0);
  REQUIRE_FALSE(generation.ok());
  CHECK(generation.error().kind == Error::Kind::kConflict);
  CHECK(RequestsTo(one, "POST", "/v1.41/containers/create").size() == 1);
}

TEST_CASE("state: projects with a record are listed once, sorted", "[runtime][state]") {
  FakeDockerServer one, two;
  planner::DesiredRecord shop = Record(1, "t");
  planner::DesiredRecord blog = Record(1, "t");
  json a = Summary("a", shop), b = Summary("b", blog);
  b["Labels"]["baton.state-of"] = "blog";
  one.On("GET", kList, JsonResponse(json::array({a, b}).dump()));
  two.On("GET", kList, JsonResponse(json::array({a}).dump()));
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}});
  auto projects = ProjectsWithDesiredState(pool);
  REQUIRE(projects.ok());
  CHECK(*projects == std::vector<std::string>{"blog", "shop"});
  auto list = one.Last("GET", kList);
  REQUIRE(list);
  CHECK(list->target.find("baton.role%3Dstate") != std::string::npos);
}

}  // namespace
}  // namespace baton::runtime
