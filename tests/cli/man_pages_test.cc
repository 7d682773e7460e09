// Every command baton has is documented: man/baton-<command>.1 exists.

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "cli/commands.h"

namespace baton::cli {
namespace {

TEST_CASE("man pages: every command has its page", "[cli][man]") {
  CLI::App app;
  Runner run;
  AddAllCommands(app, run);
  std::filesystem::path man = std::filesystem::path(BATON_SOURCE_DIR) / "man";
  for (const CLI::App* command : app.get_subcommands()) {
    std::string name = command->get_name();
    INFO("command " << name);
    CHECK(std::filesystem::exists(man / ("baton-" + name + ".1")));
  }
}

}  // namespace
}  // namespace baton::cli
