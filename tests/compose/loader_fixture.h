#pragma once
// Shared by the compose tests of whole loads (discover, load) and of the
// per-file stages (extends, include): the options, contexts and fixtures
// they start from.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "compose/load.h"
#include "compose/load_files.h"
#include "tests/compose/memory_file_system.h"

namespace baton::compose::testing {

using Strings = std::vector<std::string>;

// Options for a command run in `working_dir` with the process environment
// `env`, everything else at its default.
inline LoadOptions In(const std::string& working_dir, Environment env = {}) {
  LoadOptions options;
  options.working_dir = working_dir;
  options.environment = std::move(env);
  return options;
}

// The per-file stages of a project in /p (errors name files relative to /p;
// `~` is /home/me), interpolated with `env`.
inline FileStageContext Context(FileSystem& files, Environment env = {}) {
  FileStageContext ctx;
  ctx.files = &files;
  ctx.project_dir = "/p";
  ctx.display_root = "/p";
  ctx.home_dir = "/home/me";
  ctx.environment = std::move(env);
  return ctx;
}

// /p/compose.yaml through the per-file stages and the merge.
inline Result<Node> LoadProject(MemoryFileSystem& files, Environment env = {}) {
  return LoadComposeFiles({"/p/compose.yaml"}, Context(files, std::move(env)));
}

// The error text of LoadProject; "loaded" when it succeeds.
inline std::string LoadError(MemoryFileSystem& files) {
  auto root = LoadProject(files);
  return root.ok() ? "loaded" : root.error().ToString();
}

// compose-go's loader fixtures in the shared corpus (/work/shared/corpus).
inline const std::filesystem::path kLoaderFixtures = std::filesystem::path(BATON_SOURCE_DIR) /
                                                     ".." / "shared" / "corpus" / "compose-go" /
                                                     "loader" / "testdata";

// True when the shared corpus is there; a warning says the test is skipped
// when it is not.
inline bool HaveLoaderFixtures() {
  if (std::filesystem::is_directory(kLoaderFixtures)) return true;
  WARN("skipped: " << kLoaderFixtures.string() << " is absent (the shared compose corpus)");
  return false;
}

// A fixture file, read from disk, through the per-file stages with its
// directory as the project directory.
inline Result<Node> LoadFixture(const std::filesystem::path& file, Environment env = {}) {
  static RealFileSystem real;
  FileStageContext ctx = Context(real, std::move(env));
  ctx.project_dir = ctx.display_root = std::filesystem::canonical(file.parent_path()).string();
  return LoadComposeFiles({std::filesystem::canonical(file).string()}, ctx);
}

}  // namespace baton::compose::testing
