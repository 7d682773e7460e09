// env_file and label_file merged under environment and labels, as compose
// does.

#include <catch2/catch.hpp>

#include "tests/compose/normalise_fixture.h"

namespace baton::compose {
namespace {

using testing::MemoryFileSystem;
using testing::NormaliseYaml;
using testing::Web;

constexpr const char* kEnvFilesYaml = R"(services:
  web:
    image: a
    env_file:
      - {path: /proj/one.env, required: true}
      - {path: /proj/two.env, required: false}
    environment:
      BAZ: baz_from_service
      QUX:
)";

TEST_CASE("normalise: env files merge in order under the service's environment",
          "[compose][normalise][environment]") {
  MemoryFileSystem files;
  files.Add("/proj/one.env", "FOO=foo_one\nBAR=bar_one\nBAZ=baz_one\n");
  files.Add("/proj/two.env", "BAR=bar_two\nQUX=qux_two\n");
  NormaliseOptions options = testing::PlainOptions();
  options.lookup = testing::MapLookup({{"QUX", "qux_from_environment"}});
  Service web = Web(NormaliseYaml(kEnvFilesYaml, files, options));
  CHECK(web.environment == OptionalStringMap{{"BAR", "bar_two"},
                                             {"BAZ", "baz_from_service"},
                                             {"FOO", "foo_one"},
                                             {"QUX", "qux_from_environment"}});
  REQUIRE(web.env_files.size() == 2);
  CHECK(web.env_files[0].path == "/proj/one.env");
  CHECK(web.env_files[0].required);
  CHECK_FALSE(web.env_files[1].required);
}

TEST_CASE("normalise: a value-less key the environment lacks stays unset and hides env files",
          "[compose][normalise][environment]") {
  MemoryFileSystem files;
  files.Add("/proj/one.env", "QUX=qux_one\n");
  files.Add("/proj/two.env", "");
  Service web = Web(NormaliseYaml(kEnvFilesYaml, files));
  CHECK(web.environment.at("QUX") == std::nullopt);
}

TEST_CASE("normalise: a missing optional env file is skipped",
          "[compose][normalise][environment]") {
  MemoryFileSystem files;
  files.Add("/proj/one.env", "FOO=1\n");
  Service web = Web(NormaliseYaml(kEnvFilesYaml, files));
  CHECK(web.environment.at("FOO") == std::optional<std::string>("1"));
  CHECK(files.reads() == std::vector<std::string>{"/proj/one.env", "/proj/two.env"});
}

TEST_CASE("normalise: a missing required env file names the service and file",
          "[compose][normalise][environment]") {
  MemoryFileSystem files;
  auto project = NormaliseYaml(kEnvFilesYaml, files);
  REQUIRE_FALSE(project.ok());
  CHECK(project.error().kind == Error::Kind::kNotFound);
  CHECK(project.error().ToString() ==
        "compose.yaml:5:9: services.web.env_file[0]: env file /proj/one.env not found");
}

TEST_CASE("normalise: env files see the environment, the service and earlier files",
          "[compose][normalise][environment]") {
  MemoryFileSystem files;
  files.Add("/proj/one.env", "A=${HOME_DIR}/a\nB=${BAZ}-b\n");
  files.Add("/proj/two.env", "C=${A}/c\n");
  NormaliseOptions options = testing::PlainOptions();
  options.lookup = testing::MapLookup({{"HOME_DIR", "/home/me"}});
  Service web = Web(NormaliseYaml(kEnvFilesYaml, files, options));
  CHECK(web.environment.at("A") == std::optional<std::string>("/home/me/a"));
  CHECK(web.environment.at("B") == std::optional<std::string>("baz_from_service-b"));
  CHECK(web.environment.at("C") == std::optional<std::string>("/home/me/a/c"));
}

TEST_CASE("normalise: raw env files are taken as written", "[compose][normalise][environment]") {
  MemoryFileSystem files;
  files.Add("/proj/raw.env", "# comment\nA='quoted' $X\r\n\nB=x=y\n");
  Service web = Web(NormaliseYaml(R"(services:
  web:
    image: a
    env_file: [{path: /proj/raw.env, required: true, format: raw}]
)",
                                  files));
  CHECK(web.environment == OptionalStringMap{{"A", "'quoted' $X"}, {"B", "x=y"}});
}

TEST_CASE("normalise: an unknown env file format is located", "[compose][normalise][environment]") {
  MemoryFileSystem files;
  files.Add("/proj/a.env", "A=1\n");
  auto project = NormaliseYaml(R"(services:
  web:
    image: a
    env_file:
      - {path: /proj/a.env, format: json}
)",
                               files);
  REQUIRE_FALSE(project.ok());
  CHECK(project.error().ToString() ==
        "compose.yaml:5:9: services.web.env_file[0]: unsupported env_file format \"json\"");
}

TEST_CASE("normalise: value-less environment keys are looked up",
          "[compose][normalise][environment]") {
  NormaliseOptions options = testing::PlainOptions();
  options.lookup = testing::MapLookup({{"TOKEN", "t0k"}});
  Service web = Web(NormaliseYaml(
      "services:\n  web:\n    image: a\n    environment: {TOKEN: null, EMPTY: \"\", NONE: null}\n",
      options));
  CHECK(web.environment ==
        OptionalStringMap{{"EMPTY", ""}, {"NONE", std::nullopt}, {"TOKEN", "t0k"}});
}

constexpr const char* kLabelFilesYaml = R"(services:
  web:
    image: a
    label_file: [/proj/one.label, /proj/two.label]
    labels:
      BAZ: baz_from_service
)";

TEST_CASE("normalise: label files merge in order under the service's labels",
          "[compose][normalise][environment]") {
  MemoryFileSystem files;
  files.Add("/proj/one.label", "FOO=foo_one\nBAR=bar_one\nBAZ=baz_one\n");
  files.Add("/proj/two.label", "BAR=bar_two\nREF=${FOO}-ref\n");
  Service web = Web(NormaliseYaml(kLabelFilesYaml, files));
  CHECK(web.labels == StringMap{{"BAR", "bar_two"},
                                {"BAZ", "baz_from_service"},
                                {"FOO", "foo_one"},
                                {"REF", "foo_one-ref"}});
  CHECK(web.label_files == std::vector<std::string>{"/proj/one.label", "/proj/two.label"});
}

TEST_CASE("normalise: a missing label file is an error naming it",
          "[compose][normalise][environment]") {
  MemoryFileSystem files;
  files.Add("/proj/one.label", "A=1\n");
  auto project = NormaliseYaml(kLabelFilesYaml, files);
  REQUIRE_FALSE(project.ok());
  CHECK(project.error().ToString() ==
        "compose.yaml:4:35: services.web.label_file[1]: label file /proj/two.label not found");
}

}  // namespace
}  // namespace baton::compose
