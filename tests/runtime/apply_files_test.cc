// kUploadFiles and kRemoveFiles of ApplyPlan against a fake engine.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "apply_fixture.h"
#include "content_fake.h"
#include "docker_server_fake.h"
#include "runtime/apply.h"

namespace baton::runtime {
namespace {

using planner::ActionKind;
using testing::Act;
using testing::FakeDockerServer;
using testing::FakePool;
using testing::JsonResponse;

const std::string kDigest = "0123456789abcdef" + std::string(48, 'e');
const std::string kVolume = "baton-files-shop-0123456789abcdef";

planner::Plan OneAction(ActionKind kind) {
  planner::Plan plan;
  plan.project = "shop";
  plan.actions = {Act(kind, "lab1", kDigest)};
  return plan;
}

TEST_CASE("apply files: an upload sends the copy's tar with byte progress",
          "[runtime][apply][files]") {
  FakeDockerServer lab1;
  lab1.On("GET", "/v1.41/images/baton%2Flock%3A1/json", JsonResponse(R"({"Id":"sha256:l"})"));
  lab1.On("POST", "/v1.41/volumes/create", JsonResponse(R"({"Name":"v"})"));
  lab1.On("POST", "/v1.41/containers/create", JsonResponse(R"({"Id":"helper-id"})"));
  lab1.On("PUT", "/v1.41/containers/helper-id/archive", JsonResponse(""));
  HostPool pool = FakePool({{"lab1", &lab1}});
  testing::FakeContent content;
  content.copies[kDigest] = std::string(1048576, 'f');
  testing::ProgressLog log;
  ApplyOptions options;
  options.content = &content;
  options.on_progress = log.Sink();
  REQUIRE(ApplyPlan(OneAction(ActionKind::kUploadFiles), testing::Shop({}), pool, options).ok());
  CHECK(lab1.Last("PUT", "/v1.41/containers/helper-id/archive")->body.size() == 1048576);
  std::vector<std::string> texts = log.TextsOf(0);
  REQUIRE(texts.size() >= 3);
  CHECK(texts.front() == "upload files 0123456789ab");
  CHECK(texts[texts.size() - 2] == "uploading 100% (1.0/1.0 MiB)");
  CHECK(texts.back() == "done");
}

TEST_CASE("apply files: an upload without local content fails", "[runtime][apply][files]") {
  FakeDockerServer lab1;
  HostPool pool = FakePool({{"lab1", &lab1}});
  Status s = ApplyPlan(OneAction(ActionKind::kUploadFiles), testing::Shop({}), pool, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "host lab1: upload files 0123456789ab: no local content to upload");
}

TEST_CASE("apply files: removal deletes the marker, the helper and the volume",
          "[runtime][apply][files]") {
  FakeDockerServer lab1;
  HostPool pool = FakePool({{"lab1", &lab1}});
  REQUIRE(ApplyPlan(OneAction(ActionKind::kRemoveFiles), testing::Shop({}), pool, {}).ok());
  std::vector<std::string> deletes;
  for (const testing::FakeRequest& r : lab1.requests())
    if (r.method == "DELETE") deletes.push_back(r.path);
  CHECK(deletes == std::vector<std::string>{"/v1.41/volumes/" + kVolume + ".ok",
                                            "/v1.41/containers/baton-upload-shop-0123456789abcdef",
                                            "/v1.41/volumes/" + kVolume});
}

}  // namespace
}  // namespace baton::runtime
