#include "compose/discover.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "compose/yaml_reader.h"
#include "tests/compose/loader_fixture.h"

namespace baton::compose {
namespace {

namespace fs = std::filesystem;
using testing::In;
using testing::MemoryFileSystem;
using testing::Strings;

DiscoveredProject Discover(const LoadOptions& options, MemoryFileSystem& files) {
  auto found = DiscoverProject(options, files);
  if (!found.ok()) FAIL(found.error().ToString());
  return std::move(*found);
}

std::string DiscoverError(const LoadOptions& options, MemoryFileSystem& files) {
  auto found = DiscoverProject(options, files);
  return found.ok() ? "found" : found.error().ToString();
}

std::string Var(const DiscoveredProject& p, const std::string& name) {
  auto it = p.environment.find(name);
  return it == p.environment.end() ? "<unset>" : it->second;
}

TEST_CASE("discover: -f files are relative to the working directory", "[compose][discover]") {
  MemoryFileSystem files;
  LoadOptions options = In("/w");
  options.files = {"app/compose.yaml", "/etc/extra.yaml"};
  DiscoveredProject p = Discover(options, files);
  CHECK(p.files == Strings{"/w/app/compose.yaml", "/etc/extra.yaml"});
  CHECK(p.project_dir == "/w/app");
}

TEST_CASE("discover: compose.yaml and its override file are found", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "").Add("/w/docker-compose.yml", "");
  files.Add("/w/compose.override.yaml", "").Add("/w/docker-compose.override.yml", "");
  DiscoveredProject p = Discover(In("/w"), files);
  CHECK(p.files == Strings{"/w/compose.yaml", "/w/compose.override.yaml"});
  CHECK(p.project_dir == "/w");
}

TEST_CASE("discover: docker-compose.yml is preferred to docker-compose.yaml",
          "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/docker-compose.yaml", "").Add("/w/docker-compose.yml", "");
  CHECK(Discover(In("/w"), files).files == Strings{"/w/docker-compose.yml"});
}

TEST_CASE("discover: the search goes up to the parent directories", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yml", "").Add("/p/a/b/readme", "");
  DiscoveredProject p = Discover(In("/p/a/b"), files);
  CHECK(p.files == Strings{"/p/compose.yml"});
  CHECK(p.project_dir == "/p");
}

TEST_CASE("discover: no compose file is an error", "[compose][discover]") {
  MemoryFileSystem files;
  CHECK(DiscoverError(In("/w"), files) ==
        "/w: no compose file (compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml) "
        "here or in any parent directory");
}

TEST_CASE("discover: standard input is refused", "[compose][discover]") {
  MemoryFileSystem files;
  LoadOptions options = In("/w");
  options.files = {"-"};
  CHECK(DiscoverError(options, files) ==
        "-f -: reading a compose file from standard input is not supported");
}

TEST_CASE("discover: COMPOSE_FILE lists the files", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/a.yaml", "").Add("/w/b.yaml", "").Add("/w/compose.yaml", "");
  LoadOptions options = In("/w");
  options.environment = {{"COMPOSE_FILE", "a.yaml:b.yaml"}};
  CHECK(Discover(options, files).files == Strings{"/w/a.yaml", "/w/b.yaml"});
  options.environment = {{"COMPOSE_FILE", "a.yaml;b.yaml"}, {"COMPOSE_PATH_SEPARATOR", ";"}};
  CHECK(Discover(options, files).files == Strings{"/w/a.yaml", "/w/b.yaml"});
}

TEST_CASE("discover: a missing COMPOSE_FILE entry is an error", "[compose][discover]") {
  MemoryFileSystem files;
  LoadOptions options = In("/w");
  options.environment = {{"COMPOSE_FILE", "gone.yaml"}};
  CHECK(DiscoverError(options, files) == "COMPOSE_FILE: no such file: /w/gone.yaml");
}

TEST_CASE("discover: .env fills in variables the environment does not set", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "").Add("/w/.env", "A=from_file\nB=from_file\n");
  LoadOptions options = In("/w");
  options.environment = {{"A", "from_env"}};
  DiscoveredProject p = Discover(options, files);
  CHECK(Var(p, "A") == "from_env");
  CHECK(Var(p, "B") == "from_file");
  CHECK(Var(p, "PWD") == "/w");
}

TEST_CASE("discover: .env may name the compose files and profiles", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/other.yaml", "").Add("/w/compose.yaml", "");
  files.Add("/w/.env", "COMPOSE_FILE=other.yaml\nCOMPOSE_PROFILES=a, b\n");
  DiscoveredProject p = Discover(In("/w"), files);
  CHECK(p.files == Strings{"/w/other.yaml"});
  CHECK(p.profiles == Strings{"a", "b"});
}

TEST_CASE("discover: --profile wins over COMPOSE_PROFILES", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "");
  LoadOptions options = In("/w");
  options.environment = {{"COMPOSE_PROFILES", "a"}};
  options.profiles = {"b"};
  CHECK(Discover(options, files).profiles == Strings{"b"});
}

TEST_CASE("discover: --project-directory is where .env and the files are found",
          "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "").Add("/w/.env", "A=w\n");
  files.Add("/proj/compose.yaml", "").Add("/proj/.env", "A=proj\n");
  LoadOptions options = In("/w");
  options.project_directory = "../proj";
  DiscoveredProject p = Discover(options, files);
  CHECK(p.files == Strings{"/proj/compose.yaml"});
  CHECK(p.project_dir == "/proj");
  CHECK(Var(p, "A") == "proj");
}

TEST_CASE("discover: the .env of a project found in a parent is read", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/p/compose.yaml", "").Add("/p/.env", "A=p\n").Add("/p/sub/x", "");
  CHECK(Var(Discover(In("/p/sub"), files), "A") == "p");
}

TEST_CASE("discover: --env-file replaces .env and later files win", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "").Add("/w/.env", "A=dot\nC=dot\n");
  files.Add("/w/one.env", "A=one\nB=one\n").Add("/w/two.env", "B=two\n");
  LoadOptions options = In("/w");
  options.env_files = {"one.env", "two.env"};
  DiscoveredProject p = Discover(options, files);
  CHECK(Var(p, "A") == "one");
  CHECK(Var(p, "B") == "two");
  CHECK(Var(p, "C") == "<unset>");
}

TEST_CASE("discover: a missing --env-file is an error", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "");
  LoadOptions options = In("/w");
  options.env_files = {"gone.env"};
  CHECK(DiscoverError(options, files) == "/w/gone.env: env file not found");
}

TEST_CASE("discover: COMPOSE_DISABLE_ENV_FILE skips .env", "[compose][discover]") {
  MemoryFileSystem files;
  files.Add("/w/compose.yaml", "").Add("/w/.env", "A=dot\n");
  LoadOptions options = In("/w");
  options.environment = {{"COMPOSE_DISABLE_ENV_FILE", "true"}};
  CHECK(Var(Discover(options, files), "A") == "<unset>");
}

// --- project name -----------------------------------------------------------

std::vector<ParsedFile> Files(const std::vector<std::string>& texts) {
  std::vector<ParsedFile> out;
  for (const std::string& text : texts) {
    auto root = ParseYaml(text, "compose.yaml");
    REQUIRE(root.ok());
    out.push_back(ParsedFile{"/p/compose.yaml", std::move(*root)});
  }
  return out;
}

std::string NameOf(const LoadOptions& options, const Environment& env,
                   const std::vector<std::string>& texts, const std::string& dir = "/p/My App") {
  DiscoveredProject project;
  project.project_dir = dir;
  project.environment = env;
  auto name = ChooseProjectName(options, project, Files(texts));
  return name.ok() ? *name : name.error().ToString();
}

TEST_CASE("discover: -p wins over every other name", "[compose][discover]") {
  LoadOptions options;
  options.project_name = "flag";
  CHECK(NameOf(options, {{"COMPOSE_PROJECT_NAME", "env"}}, {"name: file\n"}) == "flag");
}

TEST_CASE("discover: COMPOSE_PROJECT_NAME wins over name:", "[compose][discover]") {
  CHECK(NameOf({}, {{"COMPOSE_PROJECT_NAME", "env"}}, {"name: file\n"}) == "env");
}

TEST_CASE("discover: the last file's name: is interpolated and normalised", "[compose][discover]") {
  CHECK(NameOf({}, {{"TEST", "Mid"}},
               {"name: first\n", "name: Test-${TEST}-x\n", "services: {}\n"}) == "test-mid-x");
}

TEST_CASE("discover: without a name the directory name is normalised", "[compose][discover]") {
  CHECK(NameOf({}, {}, {"services: {}\n"}, "/p/UNNORMALIZED PATH") == "unnormalizedpath");
}

TEST_CASE("discover: an explicit name must be normal", "[compose][discover]") {
  LoadOptions options;
  options.project_name = "My_App";
  CHECK(NameOf(options, {}, {}) ==
        "--project-name: invalid project name \"My_App\": must consist only of lowercase "
        "alphanumeric characters, hyphens, and underscores as well as start with a letter or "
        "number");
  CHECK(NameOf({}, {{"COMPOSE_PROJECT_NAME", "-x"}}, {})
            .starts_with("COMPOSE_PROJECT_NAME: invalid project name \"-x\""));
}

TEST_CASE("discover: a name: that normalises to nothing is located", "[compose][discover]") {
  CHECK(NameOf({}, {}, {"name: ${NOTHING}\n"}) ==
        "compose.yaml:1:7: name: project name must not be empty");
}

TEST_CASE("discover: project names are normalised as compose does", "[compose][discover]") {
  CHECK(NormalizeProjectName("My App_1") == "myapp_1");
  CHECK(NormalizeProjectName("__-x.y") == "xy");
  CHECK(NormalizeProjectName("---") == "");
}

// --- compose-go's cli fixtures ----------------------------------------------

const fs::path kCli =
    fs::path(BATON_SOURCE_DIR) / ".." / "shared" / "corpus" / "compose-go" / "cli" / "testdata";

TEST_CASE("discover: compose-go .env naming the file and the project", "[compose][discover]") {
  if (!fs::is_directory(kCli)) {
    WARN("skipped: " << kCli.string() << " is absent (the shared compose corpus)");
    return;
  }
  RealFileSystem real;
  const fs::path dir = fs::canonical(kCli / "env-file");
  LoadOptions options = In(dir.string());
  auto found = DiscoverProject(options, real);
  REQUIRE(found.ok());
  CHECK(found->files == Strings{(dir / "compose-with-env-file.yaml").string()});
  CHECK(NameOf(options, found->environment, {}) == "my_project_from_dot_env");
}

}  // namespace
}  // namespace baton::compose
