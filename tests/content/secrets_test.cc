#include <time.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "runtime/content/secrets.h"
#include "tests/content/project_fixture.h"

namespace baton::content {
namespace {

using testing::Lines;
using testing::ProjectDir;

// A made-up value, written at run time: no secret value is committed.
const char kValue[] = "s3cr3t-7f1c";

const char kTwoSecrets[] =
    "services:\n  web:\n    image: nginx\n    secrets:\n      - db-password\n"
    "      - {source: api-key, target: api.key, uid: '1000', gid: '1000', mode: 0400}\n"
    "secrets:\n  db-password:\n    file: ./secrets/db-password.txt\n"
    "  api-key:\n    environment: B8_API_KEY\n";

TEST_CASE("secrets: a file secret is read, fingerprinted and targeted", "[content][secrets]") {
  ProjectDir dir;
  dir.Write("secrets/db-password.txt", kValue);
  ProjectContent content = dir.Read(kTwoSecrets, {{"B8_API_KEY", "key-42"}});
  REQUIRE(Lines(content.errors).empty());
  const std::vector<planner::SecretUse>& uses = content.digests.at("web").secrets;
  REQUIRE(uses.size() == 2);
  CHECK(uses[0].key == "db-password");
  CHECK(uses[0].target == "/run/secrets/db-password");
  CHECK(uses[0].fingerprint == SecretFingerprint("shop", "db-password", kValue));
  CHECK(uses[0].uid == 0);
  CHECK(uses[0].gid == 0);
  CHECK(uses[0].mode == 0444);
  CHECK(content.secrets.at("db-password").value() == kValue);
}

TEST_CASE("secrets: an environment secret takes the use's relative target and owner",
          "[content][secrets]") {
  ProjectDir dir;
  dir.Write("secrets/db-password.txt", kValue);
  ProjectContent content = dir.Read(kTwoSecrets, {{"B8_API_KEY", "key-42"}});
  const planner::SecretUse& use = content.digests.at("web").secrets.at(1);
  CHECK(use.key == "api-key");
  CHECK(use.target == "/run/secrets/api.key");
  CHECK(use.uid == 1000);
  CHECK(use.gid == 1000);
  CHECK(use.mode == 0400);
  CHECK(content.secrets.at("api-key").value() == "key-42");
}

TEST_CASE("secrets: a missing file and an unset variable are both located",
          "[content][secrets]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(kTwoSecrets);
  CHECK(Lines(content.errors) ==
        "compose.yaml:8:3: secrets.db-password.file: file ./secrets/db-password.txt required by "
        "secret \"db-password\" does not exist\n"
        "compose.yaml:10:3: secrets.api-key.environment: environment variable \"B8_API_KEY\" "
        "required by secret \"api-key\" is not set\n");
  CHECK(content.digests.count("web") == 0);
  CHECK(content.secrets.empty());
}

TEST_CASE("secrets: a file over 1 MiB is refused", "[content][secrets]") {
  ProjectDir dir;
  dir.Write("secrets/db-password.txt", std::string(kMaxSecretBytes + 1, 'x'));
  ProjectContent content = dir.Read(kTwoSecrets, {{"B8_API_KEY", "key-42"}});
  CHECK(Lines(content.errors) ==
        "compose.yaml:8:3: secrets.db-password.file: file ./secrets/db-password.txt required by "
        "secret \"db-password\" is larger than 1 MiB\n");
}

TEST_CASE("secrets: one secret used twice is read and reported once", "[content][secrets]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  a:\n    image: nginx\n    secrets: [token]\n"
      "  b:\n    image: nginx\n    secrets: [token]\n"
      "secrets:\n  token:\n    environment: TOKEN\n");
  CHECK(Lines(content.errors) ==
        "compose.yaml:9:3: secrets.token.environment: environment variable \"TOKEN\" required "
        "by secret \"token\" is not set\n");
}

TEST_CASE("secrets: external secrets are refused", "[content][secrets]") {
  ProjectDir dir;
  ProjectContent content = dir.Read(
      "services:\n  web:\n    image: nginx\n    secrets: [vault]\n"
      "secrets:\n  vault:\n    external: true\n");
  CHECK(Lines(content.errors) ==
        "compose.yaml:6:3: secrets.vault.external: secret \"vault\" is external; baton reads "
        "secrets from a file or an environment variable\n");
}

TEST_CASE("secrets: no error or note holds a value", "[content][secrets]") {
  ProjectDir dir;
  dir.Write("secrets/db-password.txt", kValue);
  ProjectContent content = dir.Read(
      "services:\n  web:\n    image: nginx\n    secrets:\n"
      "      - {source: db-password, uid: nobody}\n    volumes: ['./site:/srv']\n"
      "secrets:\n  db-password:\n    file: ./secrets/db-password.txt\n");
  REQUIRE(content.errors.size() == 1);
  CHECK(Lines(content.errors).find(kValue) == std::string::npos);
  CHECK(Lines(content.notes).find(kValue) == std::string::npos);
  CHECK(content.digests.at("web").secrets.empty());
}

TEST_CASE("secrets: the fingerprint depends on project, key and value", "[content][secrets]") {
  std::string base = SecretFingerprint("shop", "db-password", kValue);
  CHECK(base.size() == 64);
  CHECK(base.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(SecretFingerprint("shop", "db-password", kValue) == base);
  CHECK(SecretFingerprint("shop2", "db-password", kValue) != base);
  CHECK(SecretFingerprint("shop", "db-password2", kValue) != base);
  CHECK(SecretFingerprint("shop", "db-password", "other") != base);
  // The separators keep ("ab", "c") apart from ("a", "bc").
  CHECK(SecretFingerprint("ab", "c", kValue) != SecretFingerprint("a", "bc", kValue));
}

std::chrono::nanoseconds CpuTime() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

// Hidden: the cost depends on the build type; run it on a release build to
// check kSecretFingerprintIterations. CPU time, so a busy machine does not
// count against it.
TEST_CASE("secrets: one fingerprint costs under 50 ms", "[.][content][secrets][timing]") {
  std::chrono::nanoseconds start = CpuTime();
  std::string fingerprint = SecretFingerprint("shop", "db-password", kValue);
  std::chrono::nanoseconds spent = CpuTime() - start;
  INFO(std::chrono::duration_cast<std::chrono::microseconds>(spent).count() << " us");
  CHECK(spent < std::chrono::milliseconds(50));
  CHECK(fingerprint.size() == 64);
}

}  // namespace
}  // namespace baton::content
