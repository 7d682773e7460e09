// Conformance with Docker Compose over ../shared/corpus (see its README):
// real compose files load, compose-go's fixtures behave as compose does, and
// full-example.yml yields compose-go's model key for key.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "compose/load.h"
#include "compose/serialize.h"
#include "compose/yaml_reader.h"
#include "tests/conformance/node_diff.h"

namespace baton::compose {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(BATON_SOURCE_DIR) / ".." / "shared" / "corpus";

// The corpus lives beside the project, not in it; without it there is
// nothing to compare against, so the test says so instead of passing.
bool HaveCorpus() {
  if (fs::is_directory(kCorpus)) return true;
  WARN("skipped: " << kCorpus.string() << " is absent (the shared compose corpus)");
  return false;
}

Result<Project> LoadFile(const fs::path& file, Environment env = {}, bool normalize = true,
                         bool consistency = true) {
  LoadOptions opt;
  opt.files = {file.string()};
  opt.working_dir = file.parent_path();
  opt.environment = std::move(env);
  opt.home_dir = "/home/tester";
  opt.normalize = normalize;
  opt.check_consistency = consistency;
  RealFileSystem files;
  return Load(opt, files);
}

std::vector<fs::path> AwesomeComposeFiles() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(kCorpus / "awesome-compose")) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && (name == "compose.yaml" || name == "docker-compose.yml" ||
                                    name == "docker-compose.yaml" || name == "compose.yml"))
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("conformance: every awesome-compose file loads", "[conformance]") {
  if (!HaveCorpus()) return;
  auto files = AwesomeComposeFiles();
  REQUIRE(files.size() >= 39);
  for (const fs::path& file : files) {
    INFO(file.string());
    auto project = LoadFile(file);
    if (!project.ok()) FAIL(project.error().ToString());
    CHECK_FALSE(project->services.empty());
  }
}

std::string LoadError(const std::string& fixture) {
  auto project = LoadFile(kCorpus / "compose-go" / "loader" / "testdata" / fixture);
  return project.ok() ? "" : project.error().ToString();
}

TEST_CASE("conformance: a depends_on cycle is rejected naming the cycle", "[conformance]") {
  if (!HaveCorpus()) return;
  std::string err = LoadError("compose-depends-on-cycle.yaml");
  INFO(err);
  CHECK_THAT(err, Catch::Contains("dependency cycle"));
  CHECK_THAT(err, Catch::Contains("->"));
}

TEST_CASE("conformance: a service depending on itself is rejected", "[conformance]") {
  if (!HaveCorpus()) return;
  std::string err = LoadError("compose-depends-on-self.yaml");
  INFO(err);
  CHECK_THAT(err, Catch::Contains("depends on itself") || Catch::Contains("dependency cycle"));
}

TEST_CASE("conformance: an include cycle is rejected naming the cycle", "[conformance]") {
  if (!HaveCorpus()) return;
  std::string err = LoadError("compose-include-cycle.yaml");
  INFO(err);
  CHECK_THAT(err, Catch::Contains("cycle"));
}

// The corpus README expects compose-depends-on-profile-no-cycle.yaml to load,
// but the file is byte for byte the cycle fixture (compose-go added it unused),
// and Docker Compose rejects it as a cycle. We follow Docker Compose: the two
// files must give the same answer.
TEST_CASE("conformance: the profile-no-cycle fixture behaves as its identical cycle twin",
          "[conformance]") {
  if (!HaveCorpus()) return;
  std::string twin = LoadError("compose-depends-on-cycle.yaml");
  std::string err = LoadError("compose-depends-on-profile-no-cycle.yaml");
  CHECK_FALSE(err.empty());
  CHECK(err.substr(err.find(':')) == twin.substr(twin.find(':')));
}

// Replaces every occurrence of `from` in scalars below `node`.
void ReplaceInScalars(Node& node, const std::string& from, const std::string& to) {
  if (node.IsScalar()) {
    std::string s = node.scalar();
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
      s.replace(at, from.size(), to);
    node.set_scalar(s);
  }
  for (Node& item : node.items()) ReplaceInScalars(item, from, to);
  for (MapEntry& e : node.entries()) ReplaceInScalars(e.value, from, to);
}

TEST_CASE("conformance: full-example.yml yields compose-go's model key for key", "[conformance]") {
  if (!HaveCorpus()) return;
  const fs::path dir = fs::canonical(kCorpus / "compose-go" / "loader");
  Environment env = {{"HOME", "/home/tester"}, {"BAR", "this is a secret"},
                     {"QUX", "qux_from_environment"}};
  auto project = LoadFile(dir / "full-example.yml", env, /*normalize=*/false, /*consistency=*/false);
  if (!project.ok()) FAIL(project.error().ToString());

  RealFileSystem files;
  auto text = files.Read(kCorpus / "compose-go" / "expected" / "full-example.expected.yaml");
  REQUIRE(text.ok());
  auto want = ParseYaml(*text, "full-example.expected.yaml");
  REQUIRE(want.ok());
  ReplaceInScalars(*want, "__WORKING_DIR__", dir.string());
  ReplaceInScalars(*want, "__HOME_DIR__", "/home/tester");

  auto diffs = testing::DiffNodes(*want, ProjectToNode(*project));
  std::string report;
  for (const auto& d : diffs) report += d + "\n";
  INFO(report);
  CHECK(diffs.empty());
}

}  // namespace
}  // namespace baton::compose
