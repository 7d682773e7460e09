// kBuildImage and the push of a built image between hosts, against fake
// engines: output lines, progress, labels, tags.

#include <catch2/catch.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "apply_fixture.h"
#include "content_fake.h"
#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "runtime/apply.h"

namespace baton::runtime {
namespace {

using planner::ActionKind;
using testing::Act;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::FakeResponse;
using testing::JsonResponse;

const std::string kDigest(64, 'c');
const std::string kTag = "shop-web:baton-cccccccccccc";

planner::DesiredState BuildingShop() {
  planner::ServiceSpec web = testing::ShopService("web");
  web.content.build = planner::BuildUse{kDigest, "shop-web", kTag, "./web, 1 file, 3 B"};
  web.service.image = kTag;
  return testing::Shop({web});
}

planner::Plan BuildPlan(const std::string& host) {
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(ActionKind::kBuildImage, host, kTag)};
  plan.actions[0].service = "web";
  return plan;
}

// Output pieces split mid-line and RUN stderr wrapped in colour, as the
// classic builder sends them.
FakeResponse BuildOutput() {
  FakeResponse r;
  for (const char* piece :
       {R"({"stream":"Step 1/2 : FROM busybox\n"})", R"({"stream":"Step 2/2 : RUN echo hi"})",
        R"({"stream":"\n"})", R"({"stream":"\u001b[91mwarn"})", R"({"stream":"ing\n\u001b[0m"})",
        R"({"stream":" ---\u003e abc\n"})", R"({"aux":{"ID":"sha256:abc"}})",
        R"({"stream":"Successfully built abc\n"})"})
    r.chunks.push_back(std::string(piece) + "\n");
  return r;
}

struct OutputLog {
  std::mutex mu;
  std::vector<std::string> lines;
  std::function<void(const std::string&, std::string_view)> Sink() {
    return [this](const std::string& service, std::string_view line) {
      std::lock_guard<std::mutex> lock(mu);
      lines.push_back(service + ": " + std::string(line));
    };
  }
};

void ServeBuild(FakeDockerServer& server) {
  server.On("POST", "/v1.41/build", BuildOutput());
  server.On("POST", "/v1.41/images/sha256%3Aabc/tag", JsonResponse(""));
}

std::vector<std::string> TargetsOf(const FakeDockerServer& server, const std::string& method,
                                   const std::string& prefix) {
  std::vector<std::string> targets;
  for (const testing::FakeRequest& r : testing::RequestsTo(server, method, prefix))
    targets.push_back(r.target);
  return targets;
}

TEST_CASE("apply build: output lines are re-joined across pieces and stripped of colour",
          "[runtime][apply][build]") {
  FakeDockerServer lab1;
  ServeBuild(lab1);
  HostPool pool = FakePool({{"lab1", &lab1}});
  testing::FakeContent content;
  content.contexts["web"] = "ctx";
  OutputLog output;
  ApplyOptions options;
  options.content = &content;
  options.on_build_output = output.Sink();
  REQUIRE(ApplyPlan(BuildPlan("lab1"), BuildingShop(), pool, options).ok());
  CHECK(output.lines == std::vector<std::string>{"web: Step 1/2 : FROM busybox",
                                                 "web: Step 2/2 : RUN echo hi", "web: warning",
                                                 "web:  ---> abc", "web: Successfully built abc"});
}

TEST_CASE("apply build: progress shows the context sent and the steps", "[runtime][apply][build]") {
  FakeDockerServer lab1;
  ServeBuild(lab1);
  HostPool pool = FakePool({{"lab1", &lab1}});
  testing::FakeContent content;
  content.contexts["web"] = "ctx";
  testing::ProgressLog log;
  ApplyOptions options;
  options.content = &content;
  options.on_progress = log.Sink();
  REQUIRE(ApplyPlan(BuildPlan("lab1"), BuildingShop(), pool, options).ok());
  CHECK(log.TextsOf(0) == std::vector<std::string>{"build " + kTag,
                                                   "sending context 100% (0.0/0.0 MiB)", "Step 1/2",
                                                   "Step 2/2", "done"});
}

TEST_CASE("apply build: the image carries baton's labels and is tagged T and N after the build",
          "[runtime][apply][build]") {
  FakeDockerServer lab1;
  ServeBuild(lab1);
  HostPool pool = FakePool({{"lab1", &lab1}});
  testing::FakeContent content;
  content.contexts["web"] = "ctx";
  content.requests["web"].labels = {{"team", "a"}};
  ApplyOptions options;
  options.content = &content;
  REQUIRE(ApplyPlan(BuildPlan("lab1"), BuildingShop(), pool, options).ok());
  std::optional<testing::FakeRequest> build = lab1.Last("POST", "/v1.41/build");
  REQUIRE(build);
  CHECK(build->body == "ctx");
  CHECK(build->target.find("&labels=" +
                           UrlEscape(R"({"baton.build-digest":")" + kDigest +
                                     R"(","baton.build-service":"shop/web","team":"a"})")) !=
        std::string::npos);
  CHECK(TargetsOf(lab1, "POST", "/v1.41/images/") ==
        std::vector<std::string>{
            "/v1.41/images/sha256%3Aabc/tag?repo=shop-web&tag=baton-cccccccccccc",
            "/v1.41/images/sha256%3Aabc/tag?repo=shop-web&tag=latest"});
}

TEST_CASE("apply build: no_cache asks the engine to build without its cache",
          "[runtime][apply][build]") {
  FakeDockerServer lab1;
  ServeBuild(lab1);
  HostPool pool = FakePool({{"lab1", &lab1}});
  testing::FakeContent content;
  content.contexts["web"] = "ctx";
  ApplyOptions options;
  options.content = &content;
  REQUIRE(ApplyPlan(BuildPlan("lab1"), BuildingShop(), pool, options).ok());
  std::optional<testing::FakeRequest> cached = lab1.Last("POST", "/v1.41/build");
  REQUIRE(cached);
  CHECK(cached->target.find("nocache=1") == std::string::npos);
  options.no_cache = true;
  REQUIRE(ApplyPlan(BuildPlan("lab1"), BuildingShop(), pool, options).ok());
  std::optional<testing::FakeRequest> fresh = lab1.Last("POST", "/v1.41/build");
  REQUIRE(fresh);
  CHECK(fresh->target.find("nocache=1") != std::string::npos);
}

TEST_CASE("apply build: a context that changed since the plan is not tagged",
          "[runtime][apply][build]") {
  FakeDockerServer lab1;
  ServeBuild(lab1);
  HostPool pool = FakePool({{"lab1", &lab1}});
  testing::FakeContent content;
  content.contexts["web"] = "ctx";
  content.verify = Error::Conflict("", "./web/app.py changed since the plan; run up again");
  ApplyOptions options;
  options.content = &content;
  Status s = ApplyPlan(BuildPlan("lab1"), BuildingShop(), pool, options);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() ==
        "host lab1: build " + kTag + ": ./web/app.py changed since the plan; run up again");
  CHECK(TargetsOf(lab1, "POST", "/v1.41/images/").empty());
}

TEST_CASE("apply build: a build on the local engine needs one", "[runtime][apply][build]") {
  FakeDockerServer lab1;
  HostPool pool = FakePool({{"lab1", &lab1}});
  testing::FakeContent content;
  ApplyOptions options;
  options.content = &content;
  Status s = ApplyPlan(BuildPlan(""), BuildingShop(), pool, options);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "build " + kTag + ": no local docker engine to build on");
}

TEST_CASE("apply build: a build on the local engine runs there", "[runtime][apply][build]") {
  FakeDockerServer local, lab1;
  ServeBuild(local);
  HostPool pool = FakePool({{"lab1", &lab1}});
  DockerClient engine = testing::ConnectTo(local);
  testing::FakeContent content;
  content.contexts["web"] = "ctx";
  ApplyOptions options;
  options.content = &content;
  options.push_source = &engine;
  REQUIRE(ApplyPlan(BuildPlan(""), BuildingShop(), pool, options).ok());
  CHECK(local.Last("POST", "/v1.41/build"));
  CHECK_FALSE(lab1.Last("POST", "/v1.41/build"));
}

TEST_CASE("apply images: a built image is pushed from a pool host and named N there too",
          "[runtime][apply][images]") {
  FakeDockerServer lab1, lab2;
  lab1.On("GET", "/v1.41/images/" + UrlEscape(kTag) + "/json",
          JsonResponse(R"({"Id":"sha256:abc","Size":4})"));
  FakeResponse saved;
  saved.content_type = "application/x-tar";
  saved.chunks = {"tar!"};
  lab1.On("GET", "/v1.41/images/get", saved);
  FakeResponse loaded;
  loaded.chunks = {"{\"stream\":\"Loaded image: " + kTag + "\\n\"}\n"};
  lab2.On("POST", "/v1.41/images/load", loaded);
  lab2.On("POST", "/v1.41/images/" + UrlEscape(kTag) + "/tag", JsonResponse(""));
  HostPool pool = FakePool({{"lab1", &lab1}, {"lab2", &lab2}});
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(ActionKind::kPushImage, "lab2", kTag)};
  plan.actions[0].source_host = "lab1";
  REQUIRE(ApplyPlan(plan, BuildingShop(), pool, {}).ok());
  CHECK(lab2.Last("POST", "/v1.41/images/load")->body == "tar!");
  CHECK(TargetsOf(lab2, "POST", "/v1.41/images/" + UrlEscape(kTag)) ==
        std::vector<std::string>{"/v1.41/images/" + UrlEscape(kTag) +
                                 "/tag?repo=shop-web&tag=latest"});
}

}  // namespace
}  // namespace baton::runtime
