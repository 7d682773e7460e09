// Image actions of ApplyPlan against fake engines: pull progress, push from
// a local engine, image removal.

#include <catch2/catch.hpp>
#include <string>

#include "apply_fixture.h"
#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/apply.h"

namespace baton::runtime {
namespace {

using planner::ActionKind;
using testing::Act;
using testing::DockerError;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::FakeResponse;
using testing::JsonResponse;
using testing::Shop;

planner::Plan OneAction(ActionKind kind, const std::string& name) {
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(kind, "lab1", name)};
  return plan;
}

TEST_CASE("apply images: pull progress sums the layers", "[runtime][apply][images]") {
  FakeDockerServer lab1;
  FakeResponse pulled;
  pulled.chunks = {
      R"({"status":"Pulling fs layer","id":"a"})"
      "\n",
      R"({"status":"Downloading","id":"a","progressDetail":{"current":524288,"total":1048576}})"
      "\n",
      R"({"status":"Downloading","id":"b","progressDetail":{"current":1048576,"total":1048576}})"
      "\n",
      R"({"status":"Pull complete","id":"a"})"
      "\n"};
  lab1.On("POST", "/v1.41/images/create", pulled);
  HostPool pool = FakePool({{"lab1", &lab1}});
  testing::ProgressLog log;
  ApplyOptions options;
  options.on_progress = log.Sink();
  REQUIRE(ApplyPlan(OneAction(ActionKind::kPullImage, "app:2"), Shop({}), pool, options).ok());
  CHECK(lab1.Last("POST", "/v1.41/images/create")->target ==
        "/v1.41/images/create?fromImage=app&tag=2");
  CHECK(log.TextsOf(0) == std::vector<std::string>{
                              "pull app:2", "pulling 0.0 MiB", "pulling 50% (0.5/1.0 MiB)",
                              "pulling 75% (1.5/2.0 MiB)", "pulling 100% (2.0/2.0 MiB)", "done"});
}

TEST_CASE("apply images: a push without a local engine is refused", "[runtime][apply][images]") {
  FakeDockerServer lab1;
  HostPool pool = FakePool({{"lab1", &lab1}});
  Status s = ApplyPlan(OneAction(ActionKind::kPushImage, "app:2"), Shop({}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kInvalid);
  CHECK(s.error().ToString() == "host lab1: push app:2: no local docker engine to push from");
}

TEST_CASE("apply images: a push streams the local image into the host",
          "[runtime][apply][images]") {
  FakeDockerServer local, lab1;
  local.On("GET", "/v1.41/images/app%3A2/json",
           JsonResponse(R"({"Id":"sha256:a","Size":2097152})"));
  FakeResponse saved;
  saved.content_type = "application/x-tar";
  saved.chunks = {std::string(1048576, 't'), std::string(1048576, 'u')};
  local.On("GET", "/v1.41/images/get", saved);
  FakeResponse loaded;
  loaded.chunks = {"{\"stream\":\"Loaded image: app:2\\n\"}\n"};
  lab1.On("POST", "/v1.41/images/load", loaded);
  HostPool pool = FakePool({{"lab1", &lab1}});
  DockerClient source = testing::ConnectTo(local);
  testing::ProgressLog log;
  ApplyOptions options;
  options.on_progress = log.Sink();
  options.push_source = &source;
  REQUIRE(ApplyPlan(OneAction(ActionKind::kPushImage, "app:2"), Shop({}), pool, options).ok());
  CHECK(lab1.Last("POST", "/v1.41/images/load")->body.size() == 2097152);
  std::vector<std::string> texts = log.TextsOf(0);
  REQUIRE(texts.size() >= 3);
  CHECK(texts.front() == "push app:2");
  CHECK(texts[texts.size() - 2] == "pushing 99% (2.0/2.0 MiB)");
  CHECK(texts.back() == "done");
}

TEST_CASE("apply images: removing an image a container uses names the container",
          "[runtime][apply][images]") {
  FakeDockerServer lab1;
  lab1.On("DELETE", "/v1.41/images/app%3A2",
          DockerError(409, "Conflict", "conflict: unable to remove repository reference"));
  lab1.On("GET", "/v1.41/containers/json", JsonResponse(R"([{"Id":"c","Names":["/shop-web-1"]}])"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  Status s = ApplyPlan(OneAction(ActionKind::kRemoveImage, "app:2"), Shop({}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "host lab1: remove image app:2: in use by shop-web-1");
}

TEST_CASE("apply images: removing an image that is gone succeeds", "[runtime][apply][images]") {
  FakeDockerServer lab1;
  lab1.On("DELETE", "/v1.41/images/app%3A2", DockerError(404, "Not Found", "No such image"));
  HostPool pool = FakePool({{"lab1", &lab1}});
  CHECK(ApplyPlan(OneAction(ActionKind::kRemoveImage, "app:2"), Shop({}), pool, {}).ok());
}

}  // namespace
}  // namespace baton::runtime
