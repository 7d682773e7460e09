// compose-go's full-example.yml, taken through the per-file stages to a
// canonical tree, normalised (without defaults) and with its environment
// resolved, has the values in full-example.expected.yaml: env and label files
// merged, sizes, durations and modes parsed.

#include <catch2/catch.hpp>

#include <filesystem>

#include "base/file_system.h"
#include "compose/canonical.h"
#include "compose/interpolate.h"
#include "compose/paths.h"
#include "tests/compose/normalise_fixture.h"

namespace baton::compose {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

const fs::path kLoaderDir =
    fs::path(BATON_SOURCE_DIR) / ".." / "shared" / "corpus" / "compose-go" / "loader";

// The project, or nullopt when the shared corpus is absent.
std::optional<Project> LoadFullExample() {
  if (!fs::is_directory(kLoaderDir)) {
    WARN("skipped: " << kLoaderDir.string() << " is absent (the shared compose corpus)");
    return std::nullopt;
  }
  const std::string dir = fs::canonical(kLoaderDir).string();
  Lookup lookup = testing::MapLookup({{"BAR", "this is a secret"},
                                      {"QUX", "qux_from_environment"},
                                      {"COMPOSE_PROJECT_NAME", "full_example_project_name"}});
  RealFileSystem files;
  auto text = files.Read(dir + "/full-example.yml");
  REQUIRE(text.ok());
  auto root = ParseYaml(*text, "full-example.yml");
  REQUIRE(root.ok());
  REQUIRE(Interpolate(*root, lookup).ok());
  REQUIRE(Canonicalise(*root).ok());
  ResolvePaths(*root, {dir, "/home/tester"});
  NormaliseOptions options = testing::PlainOptions();
  options.project_name = "full_example_project_name";
  options.working_dir = dir;
  options.lookup = lookup;
  auto project = Normalise(*root, options);
  if (!project.ok()) FAIL(project.error().ToString());
  Status resolved = ResolveEnvironment(*project, options, files);
  if (!resolved.ok()) FAIL(resolved.error().ToString());
  return *project;
}

TEST_CASE("normalise full example: environment merges env files, service and lookup",
          "[compose][normalise][corpus]") {
  auto project = LoadFullExample();
  if (!project) return;
  const Service& foo = project->services.at("foo");
  CHECK(foo.environment == OptionalStringMap{{"BAR", "bar_from_env_file_2"},
                                             {"BAZ", "baz_from_service_def"},
                                             {"ENV.WITH.DOT", "ok"},
                                             {"ENV_WITH_UNDERSCORE", "ok"},
                                             {"FOO", "foo_from_env_file"},
                                             {"QUX", "qux_from_environment"}});
}

TEST_CASE("normalise full example: labels merge label files under the service's",
          "[compose][normalise][corpus]") {
  auto project = LoadFullExample();
  if (!project) return;
  CHECK(project->services.at("foo").labels ==
        StringMap{{"BAR", "bar_from_label_file_2"},
                  {"BAZ", "baz_from_label_file"},
                  {"FOO", "foo_from_label_file"},
                  {"LABEL.WITH.DOT", "ok"},
                  {"LABEL_WITH_UNDERSCORE", "ok"},
                  {"QUX", "quz_from_label_file_2"},
                  {"com.example.description", "Accounting webapp"},
                  {"com.example.empty-label", ""},
                  {"com.example.number", "42"}});
}

TEST_CASE("normalise full example: sizes, durations and modes are parsed",
          "[compose][normalise][corpus]") {
  auto project = LoadFullExample();
  if (!project) return;
  const Service& foo = project->services.at("foo");
  REQUIRE(foo.deploy.has_value());
  CHECK(foo.deploy->limits->memory == std::optional<int64_t>(52428800));
  CHECK(foo.deploy->limits->cpus == std::optional<double>(0.001));
  CHECK(foo.deploy->reservations->memory == std::optional<int64_t>(20971520));
  CHECK(foo.deploy->update_config->monitor == std::optional<Duration>(seconds(60)));
  CHECK(foo.deploy->restart_policy->window == std::optional<Duration>(seconds(120)));
  CHECK(foo.stop_grace_period == std::optional<Duration>(seconds(20)));
  CHECK(foo.healthcheck->start_interval == std::optional<Duration>(seconds(5)));
  CHECK(foo.secrets[1].mode == std::optional<uint32_t>(0440));
  CHECK(foo.configs[1].mode == std::optional<uint32_t>(0440));
  CHECK(foo.ulimits.at("nproc").single == std::optional<int64_t>(65535));
  CHECK(foo.volumes.back().tmpfs_size == std::optional<int64_t>(10000));
}

TEST_CASE("normalise full example: no defaults are added", "[compose][normalise][corpus]") {
  auto project = LoadFullExample();
  if (!project) return;
  CHECK(project->networks.count("default") == 0);
  CHECK(project->services.at("bar").networks.empty());
  CHECK(project->services.at("bar").build->dockerfile == "");
  CHECK(project->networks.at("some-network").name == "");
  CHECK(project->networks.at("other-external-network").name == "my-cool-network");
}

}  // namespace
}  // namespace baton::compose
