#pragma once
// Shared by the project content tests: a fresh copy of
// testdata/content-project in a temp dir (so tests may edit files, make
// fifos and write secret values), a compose file loaded from it as `baton`
// loads it, and ReadProjectContent over that.

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "base/file_system.h"
#include "compose/load.h"
#include "runtime/content/project_content.h"

namespace baton::content::testing {

namespace fs = std::filesystem;

class ProjectDir {
 public:
  ProjectDir() {
    std::string pattern = (fs::temp_directory_path() / "baton-content-XXXXXX").string();
    if (!mkdtemp(pattern.data())) FAIL("mkdtemp failed");
    path_ = pattern;
    fs::copy(fs::path(BATON_SOURCE_DIR) / "testdata/content-project", path_,
             fs::copy_options::recursive);
  }
  ~ProjectDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ProjectDir(const ProjectDir&) = delete;
  ProjectDir& operator=(const ProjectDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string Abs(const std::string& relative) const { return (path_ / relative).string(); }

  void Write(const std::string& relative, const std::string& text) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream out(path_ / relative, std::ios::binary | std::ios::trunc);
    out << text;
  }

  // compose.yaml holding `yaml`, loaded as project "shop" in this folder
  // (marks read "compose.yaml:line:col").
  compose::Project Load(const std::string& yaml, compose::Environment env = {}) const {
    Write("compose.yaml", yaml);
    compose::LoadOptions options;
    options.working_dir = path_;
    options.project_name = "shop";
    options.environment = std::move(env);
    RealFileSystem files;
    auto project = compose::Load(options, files);
    if (!project.ok()) FAIL("load: " << project.error().ToString());
    return std::move(*project);
  }

  ProjectContent Read(const std::string& yaml, compose::Environment env = {}) const {
    ContentOptions options{env};
    return ReadProjectContent(Load(yaml, std::move(env)), options);
  }

 private:
  fs::path path_;
};

// All errors and notes, one a line, for whole-text comparisons.
inline std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

}  // namespace baton::content::testing
