// ApplyPlan's container actions with local content against fake engines:
// copies bound from the host, secrets delivered between create and start,
// and missing bind sources named with the host.

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "apply_fixture.h"
#include "content_fake.h"
#include "docker_server_fake.h"
#include "runtime/apply.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using planner::ActionKind;
using testing::ActOn;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::FakeResponse;
using testing::JsonResponse;

const std::string kDigest = "0123456789abcdef" + std::string(48, 'e');
const std::string kVolume = "baton-files-shop-0123456789abcdef";

// Secret values by key.
struct FakeSecrets : testing::FakeContent {
  std::map<std::string, std::string> values;
  Result<std::string> SecretValue(const std::string& key) const override {
    auto it = values.find(key);
    if (it == values.end()) return Error::NotFound("", "no value for " + key);
    return it->second;
  }
};

// Service web of project shop with secret db-password at its default target.
planner::DesiredState WebWithSecret() {
  planner::ServiceSpec web = testing::ShopService("web");
  planner::SecretUse secret;
  secret.key = "db-password";
  secret.fingerprint = "f";
  secret.target = "/run/secrets/db-password";
  web.content.secrets = {secret};
  return testing::Shop({web});
}

planner::Plan OneAction(planner::Action action) {
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {std::move(action)};
  return plan;
}

// "METHOD PATH" of each request but the client's version checks.
std::vector<std::string> Calls(const FakeDockerServer& server) {
  std::vector<std::string> calls;
  for (const testing::FakeRequest& r : server.requests())
    if (r.path != "/_ping" && r.path != "/version") calls.push_back(r.method + " " + r.path);
  return calls;
}

ApplyOptions WithContent(const ContentSource* content) {
  ApplyOptions options;
  options.content = content;
  return options;
}

TEST_CASE("apply content: a new replica gets its secrets after the create, before the start",
          "[runtime][apply][content]") {
  FakeDockerServer lab1;
  testing::CreatesAndStarts(lab1, "c1");
  lab1.On("PUT", "/v1.41/containers/c1/archive", JsonResponse(""));
  HostPool pool = FakePool({{"lab1", &lab1}});
  FakeSecrets content;
  content.values["db-password"] = "s3cret";
  planner::Plan plan = OneAction(ActOn(ActionKind::kCreateContainer, "lab1", "web", 1));
  REQUIRE(ApplyPlan(plan, WebWithSecret(), pool, WithContent(&content)).ok());
  CHECK(Calls(lab1) == std::vector<std::string>{"POST /v1.41/containers/create",
                                                "PUT /v1.41/containers/c1/archive",
                                                "POST /v1.41/containers/c1/start"});
}

TEST_CASE("apply content: a replica with secrets and no local content is not created",
          "[runtime][apply][content]") {
  FakeDockerServer lab1;
  testing::CreatesAndStarts(lab1, "c1");
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan = OneAction(ActOn(ActionKind::kCreateContainer, "lab1", "web", 1));
  Status s = ApplyPlan(plan, WebWithSecret(), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() ==
        "host lab1: create shop-web-1: the secrets of web need the project's content");
  CHECK(Calls(lab1).empty());
}

TEST_CASE("apply content: a recreate with secrets and no local content keeps the old replica",
          "[runtime][apply][content]") {
  FakeDockerServer lab1;
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::Plan plan = OneAction(ActOn(ActionKind::kRecreateContainer, "lab1", "web", 1));
  Status s = ApplyPlan(plan, WebWithSecret(), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() ==
        "host lab1: recreate shop-web-1: the secrets of web need the project's content");
  CHECK(Calls(lab1).empty());
}

TEST_CASE("apply content: starting a replica that was only created delivers its secrets first",
          "[runtime][apply][content]") {
  FakeDockerServer lab1;
  testing::Inspects(lab1, "shop-web-1", {{"Status", "created"}});
  lab1.On("PUT", "/v1.41/containers/shop-web-1-id/archive", JsonResponse(""));
  FakeResponse started;
  started.status = 204;
  lab1.On("POST", "/v1.41/containers/shop-web-1/start", started);
  HostPool pool = FakePool({{"lab1", &lab1}});
  FakeSecrets content;
  content.values["db-password"] = "s3cret";
  planner::Plan plan = OneAction(ActOn(ActionKind::kStartContainer, "lab1", "web", 1));
  REQUIRE(ApplyPlan(plan, WebWithSecret(), pool, WithContent(&content)).ok());
  CHECK(Calls(lab1) == std::vector<std::string>{"GET /v1.41/containers/shop-web-1/json",
                                                "PUT /v1.41/containers/shop-web-1-id/archive",
                                                "POST /v1.41/containers/shop-web-1/start"});
}

TEST_CASE("apply content: starting a replica that ran before does not deliver again",
          "[runtime][apply][content]") {
  FakeDockerServer lab1;
  testing::Inspects(lab1, "shop-web-1", {{"Status", "exited"}});
  FakeResponse started;
  started.status = 204;
  lab1.On("POST", "/v1.41/containers/shop-web-1/start", started);
  HostPool pool = FakePool({{"lab1", &lab1}});
  FakeSecrets content;
  content.values["db-password"] = "s3cret";
  planner::Plan plan = OneAction(ActOn(ActionKind::kStartContainer, "lab1", "web", 1));
  REQUIRE(ApplyPlan(plan, WebWithSecret(), pool, WithContent(&content)).ok());
  CHECK(Calls(lab1) == std::vector<std::string>{"GET /v1.41/containers/shop-web-1/json",
                                                "POST /v1.41/containers/shop-web-1/start"});
}

TEST_CASE("apply content: a replica binds its copy from the volume's mountpoint on its host",
          "[runtime][apply][content]") {
  FakeDockerServer lab1;
  testing::CreatesAndStarts(lab1, "c1");
  lab1.On("GET", "/v1.41/volumes/" + kVolume + ".ok", JsonResponse(R"({"Name":"m"})"));
  lab1.On("GET", "/v1.41/volumes/" + kVolume,
          JsonResponse(R"({"Name":"v","Mountpoint":"/var/lib/docker/volumes/v/_data"})"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::ServiceSpec web = testing::ShopService("web");
  planner::FileCopyUse copy;
  copy.digest = kDigest;
  copy.subpath = "nginx.conf";
  copy.target = "/etc/nginx/nginx.conf";
  copy.label = "./nginx.conf";
  web.content.copies = {copy};
  planner::Plan plan = OneAction(ActOn(ActionKind::kCreateContainer, "lab1", "web", 1));
  REQUIRE(ApplyPlan(plan, testing::Shop({web}), pool, {}).ok());
  json body = json::parse(lab1.Last("POST", "/v1.41/containers/create")->body);
  CHECK(body["HostConfig"]["Mounts"] == json::parse(R"([{"Type": "bind",
    "Source": "/var/lib/docker/volumes/v/_data/nginx.conf", "Target": "/etc/nginx/nginx.conf",
    "ReadOnly": true}])"));
  CHECK(body["Labels"]["baton.files"] == "[\"" + kDigest + "\"]");
}

TEST_CASE("apply content: a copy missing on the host fails before the create",
          "[runtime][apply][content]") {
  FakeDockerServer lab1;
  testing::CreatesAndStarts(lab1, "c1");
  HostPool pool = FakePool({{"lab1", &lab1}});
  planner::ServiceSpec web = testing::ShopService("web");
  planner::FileCopyUse copy;
  copy.digest = kDigest;
  copy.target = "/srv";
  copy.label = "./site";
  web.content.copies = {copy};
  planner::Plan plan = OneAction(ActOn(ActionKind::kCreateContainer, "lab1", "web", 1));
  Status s = ApplyPlan(plan, testing::Shop({web}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() ==
        "host lab1: create shop-web-1: ./site: copy " + kVolume + " is not complete");
  CHECK_FALSE(lab1.Last("POST", "/v1.41/containers/create").has_value());
}

TEST_CASE("apply content: a missing host path of a strict bind is named with its host",
          "[runtime][apply][content]") {
  FakeDockerServer lab2;
  lab2.On("POST", "/v1.41/containers/create",
          testing::DockerError(400, "Bad Request",
                               "invalid mount config for type \"bind\": bind source path does "
                               "not exist: /srv/data"));
  HostPool pool = FakePool({{"lab2", &lab2}});
  planner::Plan plan = OneAction(ActOn(ActionKind::kCreateContainer, "lab2", "web", 1));
  Status s = ApplyPlan(plan, testing::Shop({testing::ShopService("web")}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() ==
        "host lab2: create shop-web-1: bind source /srv/data does not exist on host lab2 "
        "(create_host_path: false)");
}

}  // namespace
}  // namespace baton::runtime
