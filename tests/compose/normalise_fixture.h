#pragma once
// Shared by the normalise_*_test.cc files: canonical YAML text in, typed
// Project out. The YAML must already be in the long forms Canonicalise
// writes; marks name the file "compose.yaml".

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "compose/normalise.h"
#include "compose/yaml_reader.h"
#include "tests/compose/memory_file_system.h"

namespace baton::compose::testing {

inline Lookup MapLookup(std::map<std::string, std::string> env) {
  return [env = std::move(env)](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

// Project "shop" in /proj, an empty environment, no defaults added.
inline NormaliseOptions PlainOptions() {
  NormaliseOptions options;
  options.project_name = "shop";
  options.working_dir = "/proj";
  options.lookup = MapLookup({});
  options.add_defaults = false;
  return options;
}

inline NormaliseOptions DefaultsOptions() {
  NormaliseOptions options = PlainOptions();
  options.add_defaults = true;
  return options;
}

// Parses `yaml` (a test bug if it does not parse), normalises it and reads
// every service's env and label files from `files`.
inline Result<Project> NormaliseYaml(std::string_view yaml, MemoryFileSystem& files,
                                     const NormaliseOptions& options = PlainOptions()) {
  Result<Node> root = ParseYaml(yaml, "compose.yaml");
  if (!root.ok()) return Error::Internal("test", "bad test YAML: " + root.error().ToString());
  Result<Project> project = Normalise(*root, options);
  if (!project.ok()) return project;
  if (Status s = ResolveEnvironment(*project, options, files); !s.ok()) return s.error();
  return project;
}

// The same with no files at all.
inline Result<Project> NormaliseYaml(std::string_view yaml,
                                     const NormaliseOptions& options = PlainOptions()) {
  MemoryFileSystem files;
  return NormaliseYaml(yaml, files, options);
}

// The error text of a normalisation that must fail; "" when it succeeded.
inline std::string NormaliseError(std::string_view yaml,
                                  const NormaliseOptions& options = PlainOptions()) {
  Result<Project> project = NormaliseYaml(yaml, options);
  return project.ok() ? "" : project.error().ToString();
}

// The service `web` of a project that must have loaded.
inline Service Web(const Result<Project>& project) {
  INFO((project.ok() ? "" : project.error().ToString()));
  REQUIRE(project.ok());
  REQUIRE(project->services.count("web") == 1);
  return project->services.at("web");
}

}  // namespace baton::compose::testing
