// Copies of project files on a host (runtime/file_copy.h) against a fake
// engine: the order of the calls, the helper's spec, leftovers cleared.

#include "runtime/file_copy.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "content_fake.h"
#include "docker_client_fixture.h"
#include "docker_server_fake.h"

namespace baton::runtime {
namespace {

using testing::ConnectTo;
using testing::DockerError;
using testing::FakeDockerServer;
using testing::FakeResponse;
using testing::JsonResponse;
using Calls = std::vector<std::string>;

const std::string kDigest = "0123456789abcdef" + std::string(48, 'e');
constexpr char kVolume[] = "baton-files-shop-0123456789abcdef";
constexpr char kHelper[] = "baton-upload-shop-0123456789abcdef";

FakeResponse NoContent() {
  FakeResponse r;
  r.status = 204;
  r.reason = "No Content";
  return r;
}

// An engine holding nothing of the copy yet, with the lock image loaded.
void ServeEmpty(FakeDockerServer& server) {
  server.On("GET", "/v1.41/images/baton%2Flock%3A1/json", JsonResponse(R"({"Id":"sha256:l"})"));
  server.On("POST", "/v1.41/volumes/create", JsonResponse(R"({"Name":"v"})"));
  server.On("POST", "/v1.41/containers/create", JsonResponse(R"({"Id":"helper-id"})"));
  server.On("PUT", "/v1.41/containers/helper-id/archive", JsonResponse(""));
}

// "METHOD path" of every call after the version handshake.
Calls CallsTo(const FakeDockerServer& server) {
  Calls calls;
  for (const testing::FakeRequest& r : server.requests())
    if (r.path != "/_ping" && r.path != "/version" && r.path != "/v1.41/version")
      calls.push_back(r.method + " " + r.path);
  return calls;
}

Status Upload(DockerClient& docker, const std::string& data, Status verify = Status::Ok()) {
  testing::FakeTar tar(data, std::move(verify));
  return UploadFileCopy(docker, "shop", kDigest, tar, {}, {});
}

TEST_CASE("file copy: the volume name holds the project and 16 digits of the digest",
          "[runtime][file-copy]") {
  CHECK(FileCopyVolume("shop", kDigest) == kVolume);
}

TEST_CASE("file copy: an upload clears leftovers, fills the volume through a helper, marks last",
          "[runtime][file-copy]") {
  FakeDockerServer server;
  ServeEmpty(server);
  DockerClient docker = ConnectTo(server);
  REQUIRE(Upload(docker, "the tar").ok());
  CHECK(CallsTo(server) == Calls{
                               "GET /v1.41/volumes/" + std::string(kVolume) + ".ok",
                               "DELETE /v1.41/volumes/" + std::string(kVolume) + ".ok",
                               "DELETE /v1.41/containers/" + std::string(kHelper),
                               "DELETE /v1.41/volumes/" + std::string(kVolume),
                               "POST /v1.41/volumes/create",
                               "GET /v1.41/images/baton%2Flock%3A1/json",
                               "POST /v1.41/containers/create",
                               "PUT /v1.41/containers/helper-id/archive",
                               "DELETE /v1.41/containers/" + std::string(kHelper),
                               "POST /v1.41/volumes/create",
                           });
  CHECK(server.Last("PUT", "/v1.41/containers/helper-id/archive")->body == "the tar");
  CHECK(nlohmann::json::parse(server.Last("POST", "/v1.41/volumes/create")->body) ==
        nlohmann::json{{"Name", std::string(kVolume) + ".ok"},
                       {"Driver", "local"},
                       {"Labels",
                        {{"baton.files-project", "shop"},
                         {"baton.files-digest", kDigest},
                         {"baton.files-role", "complete"},
                         {"baton.managed", "true"}}}});
}

TEST_CASE("file copy: the helper mounts the volume at /copy, has no network and never starts",
          "[runtime][file-copy]") {
  FakeDockerServer server;
  ServeEmpty(server);
  DockerClient docker = ConnectTo(server);
  REQUIRE(Upload(docker, "the tar").ok());
  std::optional<testing::FakeRequest> create = server.Last("POST", "/v1.41/containers/create");
  REQUIRE(create);
  CHECK(create->target == "/v1.41/containers/create?name=" + std::string(kHelper));
  nlohmann::json body = nlohmann::json::parse(create->body);
  CHECK(body["Image"] == "baton/lock:1");
  CHECK(body["Labels"]["baton.files-role"] == "upload");
  CHECK(body["HostConfig"]["NetworkMode"] == "none");
  CHECK(body["HostConfig"]["Mounts"] == nlohmann::json::parse(R"([{"Type": "volume",
      "Source": "baton-files-shop-0123456789abcdef", "Target": "/copy",
      "VolumeOptions": {"NoCopy": true}}])"));
  for (const testing::FakeRequest& r : server.requests()) CHECK_FALSE(r.path.ends_with("/start"));
}

TEST_CASE("file copy: a failed archive leaves no marker and the next upload starts clean",
          "[runtime][file-copy]") {
  FakeDockerServer server;
  ServeEmpty(server);
  server.On("PUT", "/v1.41/containers/helper-id/archive",
            DockerError(500, "Internal Server Error", "no space left on device"));
  DockerClient docker = ConnectTo(server);
  Status failed = Upload(docker, "the tar");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().ToString() ==
        "host lab1: upload archive: 500 Internal Server Error: no space left on device");
  Calls first = CallsTo(server);
  CHECK(std::count(first.begin(), first.end(), "POST /v1.41/volumes/create") == 1);
  server.On("PUT", "/v1.41/containers/helper-id/archive", JsonResponse(""));
  REQUIRE(Upload(docker, "the tar").ok());
  Calls all = CallsTo(server);
  Calls second(all.begin() + static_cast<std::ptrdiff_t>(first.size()), all.end());
  REQUIRE(second.size() >= 5);
  CHECK(Calls(second.begin(), second.begin() + 5) ==
        Calls{"GET /v1.41/volumes/" + std::string(kVolume) + ".ok",
              "DELETE /v1.41/volumes/" + std::string(kVolume) + ".ok",
              "DELETE /v1.41/containers/" + std::string(kHelper),
              "DELETE /v1.41/volumes/" + std::string(kVolume), "POST /v1.41/volumes/create"});
}

TEST_CASE("file copy: a tar that does not verify leaves no marker", "[runtime][file-copy]") {
  FakeDockerServer server;
  ServeEmpty(server);
  DockerClient docker = ConnectTo(server);
  Status s =
      Upload(docker, "the tar", Error::Conflict("", "./site changed since the plan; run up again"));
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "./site changed since the plan; run up again");
  Calls calls = CallsTo(server);
  CHECK(std::count(calls.begin(), calls.end(), "POST /v1.41/volumes/create") == 1);
  CHECK(calls.back() == "DELETE /v1.41/volumes/" + std::string(kVolume));
}

TEST_CASE("file copy: a complete copy is not uploaded again", "[runtime][file-copy]") {
  FakeDockerServer server;
  ServeEmpty(server);
  server.On("GET", "/v1.41/volumes/" + std::string(kVolume) + ".ok", JsonResponse("{}"));
  server.On("GET", "/v1.41/volumes/" + std::string(kVolume), JsonResponse("{}"));
  DockerClient docker = ConnectTo(server);
  REQUIRE(Upload(docker, "the tar").ok());
  CHECK(CallsTo(server) == Calls{"GET /v1.41/volumes/" + std::string(kVolume) + ".ok",
                                 "GET /v1.41/volumes/" + std::string(kVolume)});
}

TEST_CASE("file copy: removal takes the marker, the helper, then the volume",
          "[runtime][file-copy]") {
  FakeDockerServer server;
  server.On("DELETE", "/v1.41/volumes/" + std::string(kVolume) + ".ok", NoContent());
  server.On("DELETE", "/v1.41/volumes/" + std::string(kVolume), NoContent());
  DockerClient docker = ConnectTo(server);
  REQUIRE(RemoveFileCopy(docker, "shop", kDigest).ok());
  CHECK(CallsTo(server) == Calls{"DELETE /v1.41/volumes/" + std::string(kVolume) + ".ok",
                                 "DELETE /v1.41/containers/" + std::string(kHelper),
                                 "DELETE /v1.41/volumes/" + std::string(kVolume)});
  CHECK(server.Last("DELETE", "/v1.41/containers/" + std::string(kHelper))
            ->target.ends_with("?force=1"));
}

TEST_CASE("file copy: a volume still mounted is a conflict naming it", "[runtime][file-copy]") {
  FakeDockerServer server;
  server.On("DELETE", "/v1.41/volumes/" + std::string(kVolume),
            DockerError(409, "Conflict", "volume is in use"));
  DockerClient docker = ConnectTo(server);
  Status s = RemoveFileCopy(docker, "shop", kDigest);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == Error::Kind::kConflict);
  CHECK(s.error().ToString() ==
        "host lab1: remove volume " + std::string(kVolume) + ": 409 Conflict: volume is in use");
}

TEST_CASE("file copy: the path of a complete copy is under its volume's mountpoint",
          "[runtime][file-copy]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/volumes/" + std::string(kVolume) + ".ok", JsonResponse("{}"));
  server.On("GET", "/v1.41/volumes/" + std::string(kVolume),
            JsonResponse(R"({"Mountpoint": "/var/lib/docker/volumes/v/_data"})"));
  DockerClient docker = ConnectTo(server);
  Result<std::string> file = FileCopyPath(docker, "shop", kDigest, "nginx.conf");
  REQUIRE(file.ok());
  CHECK(*file == "/var/lib/docker/volumes/v/_data/nginx.conf");
  CHECK(*FileCopyPath(docker, "shop", kDigest, "") == "/var/lib/docker/volumes/v/_data");
}

TEST_CASE("file copy: a copy without its marker has no path", "[runtime][file-copy]") {
  FakeDockerServer server;
  server.On("GET", "/v1.41/volumes/" + std::string(kVolume),
            JsonResponse(R"({"Mountpoint": "/var/lib/docker/volumes/v/_data"})"));
  DockerClient docker = ConnectTo(server);
  Result<std::string> path = FileCopyPath(docker, "shop", kDigest, "");
  REQUIRE_FALSE(path.ok());
  CHECK(path.error().kind == Error::Kind::kNotFound);
  CHECK(path.error().ToString() == "host lab1: copy " + std::string(kVolume) + " is not complete");
}

}  // namespace
}  // namespace baton::runtime
