// The shared compose project flags, parsed in-process with CLI11.

#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/project_options.h"

namespace baton::cli {
namespace {

// Parses `args` (without the program name) with the project flags on the
// app and a `config` command that lets them fall through, as baton does.
ProjectOptions Parse(std::vector<std::string> args) {
  CLI::App app{"test", "baton"};
  ProjectOptions options;
  AddProjectOptions(app, options);
  bool quiet = false;
  CLI::App* config = app.add_subcommand("config", "");
  config->fallthrough();
  config->add_flag("-q", quiet);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
  app.parse(reversed);
  return options;
}

TEST_CASE("project options: flags before the command", "[cli][options]") {
  ProjectOptions options = Parse({"-f", "a.yaml", "--file", "b.yaml", "-p", "shop", "--profile",
                                  "debug", "--env-file", "x.env", "--project-directory", "dir",
                                  "config"});
  CHECK(options.files == std::vector<std::string>{"a.yaml", "b.yaml"});
  CHECK(options.project_name == "shop");
  CHECK(options.profiles == std::vector<std::string>{"debug"});
  CHECK(options.env_files == std::vector<std::string>{"x.env"});
  CHECK(options.project_directory == "dir");
}

TEST_CASE("project options: flags after the command fall through", "[cli][options]") {
  ProjectOptions options =
      Parse({"config", "-q", "-f", "a.yaml", "--profile", "a", "--profile", "b", "-p", "x"});
  CHECK(options.files == std::vector<std::string>{"a.yaml"});
  CHECK(options.profiles == std::vector<std::string>{"a", "b"});
  CHECK(options.project_name == "x");
}

TEST_CASE("project options: -f takes one value per use", "[cli][options]") {
  CHECK_THROWS_AS(Parse({"-f", "a.yaml", "b.yaml", "config"}), CLI::ParseError);
}

TEST_CASE("project options: load options carry flags, environment and directories",
          "[cli][options]") {
  ProjectOptions options;
  options.files = {"compose.yaml"};
  options.project_name = "shop";
  options.profiles = {"debug"};
  options.env_files = {"prod.env"};
  options.project_directory = "/srv/shop";
  compose::LoadOptions load =
      MakeLoadOptions(options, {{"COMPOSE_PROFILES", "ops"}}, "/work", "/home/me");
  CHECK(load.files == options.files);
  CHECK(load.project_name == "shop");
  CHECK(load.profiles == options.profiles);
  CHECK(load.env_files == options.env_files);
  CHECK(load.project_directory == "/srv/shop");
  CHECK(load.environment == compose::Environment{{"COMPOSE_PROFILES", "ops"}});
  CHECK(load.working_dir == "/work");
  CHECK(load.home_dir == "/home/me");
  CHECK(load.interpolate);
  CHECK(load.normalize);
  CHECK(load.check_consistency);
}

TEST_CASE("project options: the process's options read its directory and HOME",
          "[cli][options]") {
  auto load = LoadOptionsFromProcess(ProjectOptions{});
  REQUIRE(load.ok());
  CHECK(load->working_dir == std::filesystem::current_path());
  CHECK(load->environment.count("PATH") == 1);
  CHECK_FALSE(load->home_dir.empty());
}

}  // namespace
}  // namespace baton::cli
