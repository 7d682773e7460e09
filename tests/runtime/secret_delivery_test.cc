// DeliverSecrets against a fake engine: the tar it puts into a created
// container, and errors that never carry a value.

#include "runtime/secret_delivery.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "content_fake.h"
#include "docker_client_fixture.h"
#include "docker_server_fake.h"
#include "tests/base/tar_reader.h"

namespace baton::runtime {
namespace {

using testing::ConnectTo;
using testing::FakeDockerServer;

constexpr char kArchivePath[] = "/v1.41/containers/c0ffee/archive";
constexpr char kPassword[] = "hunter2-correct-horse";

// Secret values by key; a key it lacks is kNotFound.
struct FakeSecrets : testing::FakeContent {
  std::map<std::string, std::string> values;
  Result<std::string> SecretValue(const std::string& key) const override {
    auto it = values.find(key);
    if (it == values.end()) return Error::NotFound("", "no value for " + key);
    return it->second;
  }
};

planner::SecretUse Secret(std::string key, std::string target, uint32_t uid = 0, uint32_t gid = 0,
                          uint32_t mode = 0444) {
  planner::SecretUse use;
  use.key = std::move(key);
  use.fingerprint = "f";
  use.target = std::move(target);
  use.uid = uid;
  use.gid = gid;
  use.mode = mode;
  return use;
}

FakeSecrets TwoSecrets() {
  FakeSecrets content;
  content.values = {{"db-password", kPassword}, {"api-key", std::string(700, 'k')}};
  return content;
}

const std::vector<planner::SecretUse> kTwo = {
    Secret("db-password", "/run/secrets/db-password"),
    Secret("api-key", "/etc/app/api.key", 1000, 1001, 0400)};

TEST_CASE("secret delivery: one tar put at the root holds each secret at its target",
          "[runtime][secrets]") {
  FakeDockerServer server;
  server.On("PUT", kArchivePath, testing::JsonResponse(""));
  DockerClient docker = ConnectTo(server);
  REQUIRE(DeliverSecrets(docker, "c0ffee", kTwo, TwoSecrets()).ok());
  std::vector<testing::FakeRequest> puts;
  for (const testing::FakeRequest& r : server.requests())
    if (r.method == "PUT") puts.push_back(r);
  REQUIRE(puts.size() == 1);
  CHECK(puts[0].target == std::string(kArchivePath) + "?path=%2F&noOverwriteDirNonDir=1");
  std::vector<baton::testing::TarEntry> entries = baton::testing::ReadTar(puts[0].body);
  REQUIRE(entries.size() == 2);  // files only: no entries for run/, run/secrets/, etc/app/
  CHECK(entries[0].name == "run/secrets/db-password");
  CHECK(entries[0].type == '0');
  CHECK(entries[0].content == kPassword);
  CHECK(entries[1].name == "etc/app/api.key");
  CHECK(entries[1].content == std::string(700, 'k'));
}

TEST_CASE("secret delivery: the headers carry each secret's owner and mode", "[runtime][secrets]") {
  FakeDockerServer server;
  server.On("PUT", kArchivePath, testing::JsonResponse(""));
  DockerClient docker = ConnectTo(server);
  REQUIRE(DeliverSecrets(docker, "c0ffee", kTwo, TwoSecrets()).ok());
  std::vector<baton::testing::TarEntry> entries =
      baton::testing::ReadTar(server.Last("PUT", kArchivePath)->body);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].checksum_ok);
  CHECK((entries[0].uid == 0 && entries[0].gid == 0 && entries[0].mode == 0444));
  CHECK((entries[1].uid == 1000 && entries[1].gid == 1001 && entries[1].mode == 0400));
}

TEST_CASE("secret delivery: a failed put names the secrets and never a value",
          "[runtime][secrets]") {
  FakeDockerServer server;
  server.On("PUT", kArchivePath,
            testing::DockerError(500, "Internal Server Error", "no space left on device"));
  DockerClient docker = ConnectTo(server);
  Status s = DeliverSecrets(docker, "c0ffee", kTwo, TwoSecrets());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() ==
        "host lab1: copy secrets db-password (/run/secrets/db-password), api-key "
        "(/etc/app/api.key): 500 Internal Server Error: no space left on device");
  CHECK(s.error().ToString().find(kPassword) == std::string::npos);
}

TEST_CASE("secret delivery: a value the content lacks fails before anything is sent",
          "[runtime][secrets]") {
  FakeDockerServer server;
  DockerClient docker = ConnectTo(server);
  FakeSecrets content = TwoSecrets();
  content.values.erase("api-key");
  Status s = DeliverSecrets(docker, "c0ffee", kTwo, content);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().ToString() == "secret api-key (/etc/app/api.key): no value for api-key");
  CHECK_FALSE(server.Last("PUT", kArchivePath).has_value());
}

TEST_CASE("secret delivery: no secrets put nothing", "[runtime][secrets]") {
  FakeDockerServer server;
  DockerClient docker = ConnectTo(server);
  REQUIRE(DeliverSecrets(docker, "c0ffee", {}, TwoSecrets()).ok());
  CHECK_FALSE(server.Last("PUT", kArchivePath).has_value());
}

}  // namespace
}  // namespace baton::runtime
