#include "runtime/deploy_lock.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "apply_fixture.h"
#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::JsonResponse;
using testing::RequestsTo;

constexpr char kLockPath[] = "/v1.41/containers/baton-lock-shop/json";

// An engine that has the lock image and creates containers.
void Ready(FakeDockerServer& server, const std::string& id) {
  server.On("GET", "/v1.41/images/baton%2Flock%3A1/json", JsonResponse("{\"Id\":\"sha256:l\"}"));
  server.On("POST", "/v1.41/containers/create", JsonResponse("{\"Id\":\"" + id + "\"}"));
  server.On("DELETE", "/v1.41/containers/" + id, JsonResponse(""));
}

// An engine whose baton-lock-shop container is held by `holder`.
void HeldBy(FakeDockerServer& server, const std::string& id, const std::string& holder) {
  server.On("GET", kLockPath,
            JsonResponse(json{{"Id", id},
                              {"Name", "/baton-lock-shop"},
                              {"Config",
                               {{"Labels",
                                 {{"baton.lock", "shop"},
                                  {"baton.lock.holder", holder},
                                  {"baton.lock.since", "2026-11-28T19:02:11Z"}}}}},
                              {"State", {{"Status", "created"}}}}
                             .dump()));
}

TEST_CASE("deploy lock: acquire creates a never-started lock container on every host",
          "[runtime][lock]") {
  FakeDockerServer one, two;
  Ready(one, "l1");
  Ready(two, "l2");
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}});
  Result<DeployLock> lock = DeployLock::Acquire(pool, "shop", "bob@desk pid 7");
  REQUIRE(lock.ok());
  for (FakeDockerServer* server : {&one, &two}) {
    auto create = server->Last("POST", "/v1.41/containers/create");
    REQUIRE(create);
    CHECK(create->target == "/v1.41/containers/create?name=baton-lock-shop");
    json body = json::parse(create->body);
    CHECK(body["Image"] == "baton/lock:1");
    CHECK(body["Cmd"] == json::array({"baton-lock"}));
    CHECK(body["Labels"]["baton.lock"] == "shop");
    CHECK(body["Labels"]["baton.lock.holder"] == "bob@desk pid 7");
    CHECK(std::regex_match(body["Labels"]["baton.lock.since"].get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
    CHECK_FALSE(body["Labels"].contains("com.docker.compose.project"));
    CHECK(RequestsTo(*server, "POST", "/v1.41/containers/l").empty());  // never started
  }
}

TEST_CASE("deploy lock: a held lock is a conflict naming its holder, and nothing stays taken",
          "[runtime][lock]") {
  FakeDockerServer one, two;
  Ready(one, "l1");
  HeldBy(one, "l1", "bob@desk pid 7");  // what Release finds: ours
  Ready(two, "l2");
  two.On("POST", "/v1.41/containers/create",
         testing::DockerError(409, "Conflict", "Conflict. The container name is in use"));
  HeldBy(two, "other", "alice@laptop pid 4242");
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}});
  Result<DeployLock> lock = DeployLock::Acquire(pool, "shop", "bob@desk pid 7");
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.error().kind == Error::Kind::kConflict);
  CHECK(lock.error().ToString() ==
        "project shop is being deployed by alice@laptop pid 4242 since 2026-11-28T19:02:11Z "
        "(lock on lab2); if that deploy is dead, run `baton unlock`");
  CHECK(one.Last("DELETE", "/v1.41/containers/l1"));
  CHECK_FALSE(two.Last("DELETE", "/v1.41/containers/other"));
}

TEST_CASE("deploy lock: release removes only a lock that still names its holder",
          "[runtime][lock]") {
  FakeDockerServer one, two;
  Ready(one, "l1");
  HeldBy(one, "l1", "bob@desk pid 7");
  Ready(two, "l2");
  HeldBy(two, "l2-new", "carol@box pid 9");  // broken and taken by someone else meanwhile
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}});
  Result<DeployLock> lock = DeployLock::Acquire(pool, "shop", "bob@desk pid 7");
  REQUIRE(lock.ok());
  REQUIRE(lock->Release().ok());
  CHECK(one.Last("DELETE", "/v1.41/containers/l1")->target == "/v1.41/containers/l1?force=1");
  CHECK(RequestsTo(two, "DELETE", "/v1.41/containers/").empty());
}

TEST_CASE("deploy lock: holders lists the hosts where a lock exists", "[runtime][lock]") {
  FakeDockerServer one, two;
  HeldBy(two, "l2", "alice@laptop pid 4242");
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}});
  Result<std::vector<LockHolder>> holders = DeployLock::Holders(pool, "shop");
  REQUIRE(holders.ok());
  REQUIRE(holders->size() == 1);
  CHECK((*holders)[0].holder == "alice@laptop pid 4242");
  CHECK((*holders)[0].since == "2026-11-28T19:02:11Z");
  CHECK((*holders)[0].host == "lab2");
}

TEST_CASE("deploy lock: break removes the lock whoever holds it", "[runtime][lock]") {
  FakeDockerServer one, two;
  HeldBy(one, "l1", "alice@laptop pid 4242");
  one.On("DELETE", "/v1.41/containers/l1", JsonResponse(""));
  HostPool pool = FakePool({{"lab1", &one}, {"lab2", &two}});
  REQUIRE(DeployLock::Break(pool, "shop").ok());
  CHECK(one.Last("DELETE", "/v1.41/containers/l1")->target == "/v1.41/containers/l1?force=1");
  CHECK(RequestsTo(two, "DELETE", "/v1.41/containers/").empty());
}

TEST_CASE("deploy lock: a container of the lock's name that is no lock is left alone",
          "[runtime][lock]") {
  FakeDockerServer one;
  one.On("GET", kLockPath,
         JsonResponse(R"({"Id":"x","Name":"/baton-lock-shop","Config":{"Labels":{}}})"));
  HostPool pool = FakePool({{"lab1", &one}});
  REQUIRE(DeployLock::Break(pool, "shop").ok());
  CHECK(RequestsTo(one, "DELETE", "/v1.41/containers/").empty());
}

TEST_CASE("deploy lock: this process is named user@machine pid N", "[runtime][lock]") {
  std::string holder = ThisProcessHolder();
  CHECK(std::regex_match(holder, std::regex(R"([^@ ]+@[^@ ]+ pid )" + std::to_string(::getpid()))));
}

}  // namespace
}  // namespace baton::runtime
